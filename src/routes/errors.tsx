import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { OptboxError, type ErrorCode, type FieldProblem } from '../core/errors.ts';
import type { AppDeps } from './context.ts';
import { pageContext } from './page.ts';
import { requestLogger } from './request-log.ts';
import { ErrorPage, type ErrorKind } from '../../views/error.tsx';

/** The one mapping from error code to HTTP status. */
const STATUS: Record<ErrorCode | 'internal', ContentfulStatusCode> = {
  invalid_input: 400,
  invalid_link: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit_reached: 409,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** The one JSON error shape of the API: {error: {code, message, fields?}}. */
export interface ErrorBody {
  error: { code: ErrorCode | 'internal'; message: string; fields?: FieldProblem[] };
}

export function toOptboxError(err: unknown): OptboxError | undefined {
  if (err instanceof OptboxError) return err;
  if (err instanceof HTTPException && err.status === 413) return new OptboxError('payload_too_large', 'request body is too large');
  // Hono's csrf() refuses a form from another origin with a 403.
  if (err instanceof HTTPException && err.status === 403) return new OptboxError('forbidden', 'the form was not sent from this site');
  return undefined;
}

/**
 * The app's error handler. Known errors answer with their status; anything else is logged and
 * answered 500 without its message (it may hold internals). The API answers JSON; the public
 * pages a friendly page in the visitor's language, with the real status.
 */
export function handleError(deps: AppDeps) {
  return (err: unknown, c: Context) => {
    const known = toOptboxError(err);
    if (!known) requestLogger(c, deps.logger).error({ err, method: c.req.method }, 'unhandled error');
    const code = known?.code ?? 'internal';
    const status = STATUS[code];
    // Machines read the API and the provider hooks: they get the JSON error shape.
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/hooks/')) {
      const body: ErrorBody = { error: { code, message: known?.message ?? 'internal error', ...(known?.fields.length ? { fields: known.fields } : {}) } };
      return c.json(body, status);
    }
    const kind: ErrorKind =
      code === 'invalid_link' ? 'invalid_link'
      : code === 'not_found' ? 'not_found'
      : code === 'internal' ? 'server'
      : code === 'forbidden' || code === 'unauthorized' ? 'forbidden'
      : code === 'rate_limited' ? 'rate_limited'
      : code === 'unavailable' ? 'unavailable'
      : 'bad_request';
    c.header('Cache-Control', 'no-store');
    return c.html(<ErrorPage ctx={pageContext(deps, c)} kind={kind} detail={kind === 'bad_request' || kind === 'forbidden' ? known?.message : undefined} />, status);
  };
}

export function apiError(c: Context, code: ErrorCode, message: string) {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, STATUS[code]);
}
