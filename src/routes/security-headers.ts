import type { Context, MiddlewareHandler } from 'hono';

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

/** The Node response of a request served by @hono/node-server (its `env`); absent under app.request(). */
interface NodeResponse {
  setHeader(name: string, value: string): unknown;
  headersSent: boolean;
}

function nodeResponse(c: Context): NodeResponse | undefined {
  const outgoing = (c.env as { outgoing?: Partial<NodeResponse> } | undefined)?.outgoing;
  return outgoing && typeof outgoing.setHeader === 'function' && outgoing.headersSent === false ? (outgoing as NodeResponse) : undefined;
}

/**
 * A header for whatever response this request ends with (the handler's, a redirect, an error
 * page), set before the handler runs. Served by Node, it goes straight onto the Node response:
 * Node keeps it when the adapter writes the head, a route that sets the same header wins (the
 * adapter's writeHead overrides it), and the response keeps the adapter's fast path. Through
 * Hono's c.header, any header at all made every response build a web Headers object, which the
 * adapter then copied out again, header by header — a third of a trivial request. Under
 * app.request() (tests) there is no Node response and c.header does it.
 */
export function presetHeader(c: Context, name: string, value: string): void {
  const outgoing = nodeResponse(c);
  if (outgoing) outgoing.setHeader(name, value);
  else c.header(name, value);
}

/** Every response gets `headers` (see presetHeader); a route that needs its own value (the API docs' CSP, the preference pages' Referrer-Policy) sets it with c.header and wins. */
export function securityHeaders(headers: Readonly<Record<string, string>> = SECURITY_HEADERS): MiddlewareHandler {
  const entries = Object.entries(headers);
  return async (c, next) => {
    const outgoing = nodeResponse(c);
    if (outgoing) for (const [name, value] of entries) outgoing.setHeader(name, value);
    else for (const [name, value] of entries) c.header(name, value);
    await next();
  };
}
