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

/** `Authorization: Bearer <key>` (RFC 6750 §2.1) on every /api/v1 route. */
export function apiKeyAuth(core: CoreDeps): MiddlewareHandler<ApiKeyEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer realm="optbox"');
      throw new OptboxError('unauthorized', 'send an API key as Authorization: Bearer <key>');
    }
    c.set('apiKey', await authenticateApiKey(core, match[1]!));
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
