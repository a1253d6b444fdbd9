import { createHash, randomBytes } from 'node:crypto';
import type { SecretStore } from '../db/stores/secrets.ts';
import type { CoreDeps } from './deps.ts';
import type { SigningKey } from './tokens.ts';

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
  const signingKeys: SigningKey[] = stored.map((k) => ({ kid: k.kid, secret: k.secret }));
  let activeKid: string;
  if (env.secret) {
    activeKid = 'e' + createHash('sha256').update(env.secret).digest('base64url').slice(0, 7);
    signingKeys.unshift({ kid: activeKid, secret: Buffer.from(env.secret, 'utf8') });
  } else {
    activeKid = signingKeys[0]!.kid;
  }
  return { signingKeys, activeKid, pepper };
}

const newSigningKey = (now: number) => ({ kid: 'k' + randomBytes(6).toString('base64url'), secret: randomBytes(32), createdAt: now });

/** Key rotation (the CLI): a new random key that becomes the active one at the next start; old ones keep verifying. */
export async function rotateSigningKey(deps: CoreDeps): Promise<SigningKey> {
  const key = newSigningKey(deps.clock.now());
  await deps.store.secrets.addSigningKey(key);
  return { kid: key.kid, secret: key.secret };
}
