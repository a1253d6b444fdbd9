import { createHash, timingSafeEqual } from 'node:crypto';
import { OptboxError } from '../../core/errors.ts';

/** Constant-time equality of two strings (hashed first, so their lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** RFC 7617 basic auth against `user:password`; 401 when absent, 403 when wrong. */
export function requireBasicAuth(header: string | undefined, expected: string): void {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match) throw new OptboxError('unauthorized', 'basic auth required');
  if (!sameSecret(Buffer.from(match[1]!, 'base64').toString('utf8'), expected)) throw new OptboxError('forbidden', 'wrong credentials');
}

/** RFC 6750 bearer token; 401 when absent, 403 when wrong. */
export function requireBearer(header: string | undefined, expected: string): void {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new OptboxError('unauthorized', 'bearer token required');
  if (!sameSecret(match[1]!, expected)) throw new OptboxError('forbidden', 'wrong token');
}

/**
 * A signed request's own time (seconds since epoch) must lie within `maxAgeSeconds` of now,
 * either way: an old one is a replay, one from the future a forgery or a broken clock.
 */
export function requireFresh(timestampSeconds: number, nowMs: number, maxAgeSeconds: number): void {
  if (!Number.isFinite(timestampSeconds)) throw new OptboxError('unauthorized', 'signature timestamp missing');
  if (Math.abs(nowMs / 1000 - timestampSeconds) > maxAgeSeconds) throw new OptboxError('forbidden', 'signature timestamp outside the replay window');
}

/** Parse a JSON body; 400 naming the body when it is not JSON. */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new OptboxError('invalid_input', 'body: is not JSON', [{ field: 'body', message: 'is not JSON' }]);
  }
}
