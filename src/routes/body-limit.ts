import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { OptboxError } from '../core/errors.ts';

/**
 * 413 for a body larger than `maxSize`. A request that declares its length is judged by the
 * header alone, before anything reads the body; only a chunked body is counted as it streams
 * (hono/body-limit). Hono's middleware always touched the raw request's body stream, which made
 * the Node adapter build a web Request and stream for every request, read or not.
 */
export function limitBody(maxSize: number, what = 'request body'): MiddlewareHandler {
  const tooLarge = () => {
    throw new OptboxError('payload_too_large', `${what} is larger than ${maxSize} bytes`);
  };
  const streamed = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxSize) tooLarge();
      return next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return streamed(c, next);
  };
}
