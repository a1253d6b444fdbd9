import { createHash, randomBytes } from 'node:crypto';
import type { SecretStore, StoredKey } from '../db/stores/secrets.ts';
import type { CoreDeps } from './deps.ts';
import type { SigningKey, SigningKeyRing, TokenService } from './tokens.ts';

export interface InstallationSecrets {
  signingKeys: SigningKey[];
  activeKid: string;
  pepper: Buffer;
}

export class SecretsError extends Error {}

const fingerprint = (pepper: Buffer) => createHash('sha256').update('optbox pepper v1\n').update(pepper).digest('hex').slice(0, 16);

/**
 * The signing keys and the address pepper, from the environment or generated once and kept in
 * the database, so that a newcomer needs no setup and links stay valid across restarts.
 * Refuses to start with a pepper other than the one the suppressions were keyed with: every
 * suppression would silently stop matching.
 */
export async function loadSecrets(store: SecretStore, env: { secret?: string | undefined; pepper?: string | undefined }, now: number): Promise<InstallationSecrets> {
  let pepper: Buffer;
  if (env.pepper) {
    pepper = Buffer.from(env.pepper, 'utf8');
  } else {
    const existing = (await store.setting('pepper')) ?? (await store.settingOnce('pepper', randomBytes(32).toString('base64')));
    pepper = Buffer.from(existing, 'base64');
  }
  const recorded = await store.settingOnce('pepper.fingerprint', fingerprint(pepper));
  if (recorded !== fingerprint(pepper)) {
    throw new SecretsError(
      env.pepper
        ? 'OPTBOX_PEPPER differs from the pepper this database was created with; the suppression list would stop matching'
        : 'this database was created with OPTBOX_PEPPER set; set it again',
    );
  }

  // Without OPTBOX_SECRET, a key is generated once: instances starting together on one shared
  // database all end up with the one that was stored first.
  const stored = env.secret ? await store.signingKeys() : await store.signingKeysOr(newSigningKey(now));
  return { ...keyRingOf(stored, env.secret), pepper };
}

/** The kid links signed with OPTBOX_SECRET carry (a hash of it: the secret itself is never in a link). */
export const environmentKid = (secret: string) => 'e' + createHash('sha256').update(secret).digest('base64url').slice(0, 7);

/**
 * The key ring from the stored keys (newest first): OPTBOX_SECRET, when set, signs and the
 * stored keys only verify; otherwise the newest stored key signs.
 */
export function keyRingOf(stored: StoredKey[], secret: string | undefined): { signingKeys: SigningKey[]; activeKid: string } {
  const signingKeys: SigningKey[] = stored.map((k) => ({ kid: k.kid, secret: k.secret }));
  if (!secret) return { signingKeys, activeKid: signingKeys[0]!.kid };
  const activeKid = environmentKid(secret);
  return { signingKeys: [{ kid: activeKid, secret: Buffer.from(secret, 'utf8') }, ...signingKeys], activeKid };
}

export function createSigningKeyRing(store: SecretStore, tokens: TokenService, env: { secret?: string | undefined }): SigningKeyRing {
  const ring: SigningKeyRing = {
    environmentKid: env.secret ? environmentKid(env.secret) : null,
    async reload() {
      const stored = await store.signingKeys();
      // Never an empty ring: the newest key is never deleted, so this is only a read racing a start.
      if (stored.length === 0 && !env.secret) return;
      const { signingKeys, activeKid } = keyRingOf(stored, env.secret);
      tokens.useKeys(signingKeys, activeKid);
    },
  };
  // Another instance rotated or retired a key (PostgreSQL; a no-op on SQLite, one process).
  store.watchSigningKeys(() => ring.reload());
  return ring;
}

export const newSigningKey = (now: number): StoredKey => ({ kid: 'k' + randomBytes(6).toString('base64url'), secret: randomBytes(32), createdAt: now });

/**
 * Key rotation (the CLI): a new random key that becomes the active one at the next start (on
 * PostgreSQL running instances see the change and switch at once); old ones keep verifying.
 * The console's "rotate now" is rotateSigningKeyNow (core/signing-keys.ts).
 */
export async function rotateSigningKey(deps: CoreDeps): Promise<SigningKey> {
  const key = newSigningKey(deps.clock.now());
  await deps.store.secrets.addSigningKey(key);
  return { kid: key.kid, secret: key.secret };
}
