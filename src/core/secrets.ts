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
export function loadSecrets(store: SecretStore, env: { secret?: string | undefined; pepper?: string | undefined }, now: number): InstallationSecrets {
  let pepper: Buffer;
  if (env.pepper) {
    pepper = Buffer.from(env.pepper, 'utf8');
  } else {
    const existing = store.setting('pepper') ?? store.settingOnce('pepper', randomBytes(32).toString('base64'));
    pepper = Buffer.from(existing, 'base64');
  }
  const recorded = store.settingOnce('pepper.fingerprint', fingerprint(pepper));
  if (recorded !== fingerprint(pepper)) {
    throw new SecretsError(
      env.pepper
        ? 'OPTBOX_PEPPER differs from the pepper this database was created with; the suppression list would stop matching'
        : 'this database was created with OPTBOX_PEPPER set; set it again',
    );
  }

  const signingKeys: SigningKey[] = store.signingKeys().map((k) => ({ kid: k.kid, secret: k.secret }));
  let activeKid: string;
  if (env.secret) {
    activeKid = 'e' + createHash('sha256').update(env.secret).digest('base64url').slice(0, 7);
    signingKeys.unshift({ kid: activeKid, secret: Buffer.from(env.secret, 'utf8') });
  } else {
    if (signingKeys.length === 0) signingKeys.push(generateSigningKey(store, now));
    activeKid = signingKeys[0]!.kid;
  }
  return { signingKeys, activeKid, pepper };
}

/** A new random key that becomes the active one at the next start; old ones keep verifying. */
export function generateSigningKey(store: SecretStore, now: number): SigningKey {
  const key = { kid: 'k' + randomBytes(6).toString('base64url'), secret: randomBytes(32), createdAt: now };
  store.addSigningKey(key);
  return { kid: key.kid, secret: key.secret };
}

/** Key rotation (the CLI): a new signing key, active from the next start. */
export function rotateSigningKey(deps: CoreDeps): SigningKey {
  return generateSigningKey(deps.store.secrets, deps.clock.now());
}
