import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRow } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { invalidInput, notFound, OptboxError } from './errors.ts';

export const API_SCOPES = [
  'suppressions:read',
  'suppressions:write',
  'contacts:read',
  'contacts:write',
  'messages:prepare',
  'webhooks:manage',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const PREFIX = 'obx_';
const hashKey = (key: string) => createHash('sha256').update(key).digest();

/** Create a key; the secret is returned once and only its hash is stored. */
export async function createApiKey(deps: CoreDeps, input: { name: string; scopes?: string[] | undefined }): Promise<{ id: string; key: string; scopes: ApiScope[] }> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw invalidInput('name', 'must be 1 to 100 characters');
  const scopes = input.scopes ?? [...API_SCOPES];
  for (const [i, s] of scopes.entries()) {
    if (!(API_SCOPES as readonly string[]).includes(s)) throw invalidInput(`scopes[${i}]`, `unknown scope "${s}" (known: ${API_SCOPES.join(', ')})`);
  }
  const key = PREFIX + randomBytes(32).toString('base64url');
  const id = randomBytes(8).toString('base64url');
  await deps.store.apiKeys.create({ id, name, prefix: key.slice(0, PREFIX.length + 6), keyHash: hashKey(key), scopes, createdAt: deps.clock.now() });
  return { id, key, scopes: scopes as ApiScope[] };
}

/**
 * The key a bearer token names, or unauthorized. Looked up by its SHA-256 (the index reveals
 * nothing about the key) and compared in constant time. Last-used is recorded by the store,
 * which writes it at most once a minute per key.
 */
export async function authenticateApiKey(deps: CoreDeps, presented: string): Promise<ApiKeyRow> {
  const hash = hashKey(presented);
  const row = presented.startsWith(PREFIX) ? await deps.store.apiKeys.byHash(hash) : undefined;
  if (!row || !timingSafeEqual(row.keyHash, hash) || row.revokedAt !== null) throw new OptboxError('unauthorized', 'invalid or revoked API key');
  await deps.store.apiKeys.touch(row.id, deps.clock.now());
  return row;
}

/** Every key, oldest first (hashes only; the secret was shown once at creation). */
export function listApiKeys(deps: CoreDeps): Promise<ApiKeyRow[]> {
  return deps.store.apiKeys.list();
}

/** Revoke a key at once (the server sees it on its next request); not_found unless it was active. */
export async function revokeApiKey(deps: CoreDeps, id: string): Promise<void> {
  if (!(await deps.store.apiKeys.revoke(id, deps.clock.now()))) throw notFound(`active API key ${id}`);
}

export function requireScope(key: ApiKeyRow, scope: ApiScope): void {
  if (!key.scopes.includes(scope)) throw new OptboxError('forbidden', `this API key lacks the ${scope} scope`);
}
