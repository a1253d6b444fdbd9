import type { MiddlewareHandler } from 'hono';

/** What every response carries unless its route says otherwise (Helmet's defaults, and ours). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // The public pages ship no script and load only their own stylesheet.
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  // Tokens live in page URLs: never hand them to another site in a Referer.
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

/**
 * Sets the headers before the handler runs, so they travel with the response as it is built
 * (c.json, c.html, c.body, c.redirect, the error handler) and the Node adapter writes them
 * without materialising a Headers object per response: hono/secure-headers sets them
 * afterwards, which cost a third of a trivial request. A route that needs its own value (the API
 * docs' CSP, the preference pages' Referrer-Policy) sets it with c.header and wins.
 */
export function securityHeaders(headers: Readonly<Record<string, string>> = SECURITY_HEADERS): MiddlewareHandler {
  const entries = Object.entries(headers);
  return async (c, next) => {
    for (const [name, value] of entries) c.header(name, value);
    await next();
  };
}
