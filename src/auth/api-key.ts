import type { Context, MiddlewareHandler } from 'hono';
import { authenticateApiKey, requireScope, type ApiScope } from '../core/api-keys.ts';
import type { CoreDeps } from '../core/deps.ts';
import { OptboxError } from '../core/errors.ts';
import type { ApiKeyRow } from '../db/store.ts';

/** What the API routes' context carries once a key has been accepted. */
export interface ApiKeyEnv {
  Variables: {
    apiKey: ApiKeyRow;
  };
}

/**
 * The challenge every 401 of the API carries (RFC 9110 §11.6.1: a 401 MUST send one). Without a
 * key it names only the scheme; for a key that was sent but is not valid it adds
 * error="invalid_token" (RFC 6750 §3, §3.1).
 */
export function bearerChallenge(invalidToken: boolean): string {
  return invalidToken ? 'Bearer realm="optbox", error="invalid_token", error_description="the API key is invalid or revoked"' : 'Bearer realm="optbox"';
}

/** `Authorization: Bearer <key>` (RFC 6750 §2.1) on every /api/v1 route. */
export function apiKeyAuth(core: CoreDeps): MiddlewareHandler<ApiKeyEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', bearerChallenge(false));
      throw new OptboxError('unauthorized', 'send an API key as Authorization: Bearer <key>');
    }
    try {
      c.set('apiKey', await authenticateApiKey(core, match[1]!));
    } catch (err) {
      if (err instanceof OptboxError && err.code === 'unauthorized') c.header('WWW-Authenticate', bearerChallenge(true));
      throw err;
    }
    await next();
  };
}

/** The ledger's actor for a change made with an API key: the key's name, never the key. */
export const actorOf = (c: Context<ApiKeyEnv>) => `apikey:${c.get('apiKey').name}`;

/** Route guard: 403 unless the key carries the scope. */
export function scope(name: ApiScope): MiddlewareHandler<ApiKeyEnv> {
  return async (c, next) => {
    requireScope(c.get('apiKey'), name);
    await next();
  };
}
