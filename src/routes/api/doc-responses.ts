import type { RouteDoc } from './doc.ts';
import { ErrorBody } from './schemas.ts';

/**
 * The answers of the API in the document: each route's own (from its RouteDoc) and the errors
 * every route can give, in the one error shape.
 */

export const json = (schema: unknown, example?: unknown) => ({ 'application/json': { schema: schema as typeof ErrorBody, ...(example === undefined ? {} : { example }) } });
/** Components are raw OpenAPI (no zod conversion there): they point at the Error schema. */
const errorJson = (example: unknown) => ({ 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example } });
const stringHeader = (description: string) => ({ description, schema: { type: 'string' as const } });
const errorExample = (code: string, message: string) => ({ error: { code, message } });

/**
 * The errors any route can answer, as components the operations point at. 405 belongs to no
 * operation (it answers a method the path does not have), so it is only a component, named in
 * the document's description.
 */
export const ERROR_RESPONSES = {
  Unauthorized: {
    description: 'No API key, or an invalid or revoked one. Always with a `WWW-Authenticate: Bearer` challenge (RFC 9110 §11.6.1); a key that was sent but is not valid adds `error="invalid_token"` (RFC 6750 §3.1).',
    headers: { 'WWW-Authenticate': stringHeader('`Bearer realm="optbox"`, plus `error="invalid_token"` for a key that is not valid.') },
    content: errorJson(errorExample('unauthorized', 'invalid or revoked API key')),
  },
  Forbidden: { description: 'The key lacks the scope this route needs.', content: errorJson(errorExample('forbidden', 'this API key lacks the contacts:write scope')) },
  NotFound: { description: 'No such route (or, on a route with an id, no such resource).', content: errorJson(errorExample('not_found', 'no such route')) },
  MethodNotAllowed: {
    description: 'The path exists but not with this method; `Allow` lists the methods it has (RFC 9110 §15.5.6).',
    headers: { Allow: stringHeader('e.g. `GET, HEAD, POST`.') },
    content: errorJson(errorExample('method_not_allowed', 'PUT is not allowed here (allowed: GET, HEAD, POST)')),
  },
  PayloadTooLarge: { description: 'The body is larger than API_BODY_LIMIT (judged by `Content-Length` before anything reads the body). Nothing was changed.', content: errorJson(errorExample('payload_too_large', 'request body is larger than 1048576 bytes')) },
  UnsupportedMediaType: { description: 'The body is not sent as `application/json`. Nothing was changed.', content: errorJson(errorExample('unsupported_media_type', 'send the body as application/json')) },
  RateLimited: {
    description: 'Too many requests for this key; retry after `Retry-After` seconds.',
    headers: { 'Retry-After': { description: 'Seconds to wait (RFC 9110 §10.2.3).', schema: { type: 'integer' as const, minimum: 1 } } },
    content: errorJson(errorExample('rate_limited', 'too many requests for this API key (50/s, bursts of 100)')),
  },
};
export const ref = (name: keyof typeof ERROR_RESPONSES) => ({ $ref: `#/components/responses/${name}` });

const BAD_INPUT = {
  description: 'Bad input; `error.fields` names each bad input as the client wrote it (`suppressions[3].email`, `topics.newsletter`, an unknown parameter or key by its own name). Nothing was changed.',
  content: json(ErrorBody, { error: { code: 'invalid_input', message: 'email: is not an email address (expected name@domain)', fields: [{ field: 'email', message: 'is not an email address (expected name@domain)' }] } }),
};

/** The responses of one route: its own, then the errors it can answer. */
export function responsesOf(route: RouteDoc) {
  const responses: Record<string, object> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const content = r.schema ? json(r.schema) : r.content ? r.content : Number(status) >= 400 ? json(ErrorBody) : undefined;
    responses[status] = { description: r.description, ...(content ? { content } : {}) };
  }
  const hasInput = !!(route.params || route.query || route.body);
  if (hasInput) responses['400'] ??= BAD_INPUT;
  responses['401'] ??= ref('Unauthorized');
  responses['403'] ??= ref('Forbidden');
  responses['413'] ??= ref('PayloadTooLarge');
  if (route.body) responses['415'] ??= ref('UnsupportedMediaType');
  responses['429'] ??= ref('RateLimited');
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

