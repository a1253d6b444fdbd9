import type { CoreDeps } from './deps.ts';
import { notFound, OptboxError } from './errors.ts';
import { newSigningKey } from './secrets.ts';

/** A link signing key as the console shows it: never its material. */
export interface SigningKeyInfo {
  kid: string;
  createdAt: number;
  /** New links are signed with it (on this instance). */
  signs: boolean;
}

/** The stored keys, newest first, which one signs, and OPTBOX_SECRET's kid when it is set (it then signs). */
export async function listSigningKeys(deps: CoreDeps): Promise<{ keys: SigningKeyInfo[]; activeKid: string; environmentKid: string | null }> {
  const activeKid = deps.tokens.activeKid();
  const stored = await deps.store.secrets.signingKeys();
  return { keys: stored.map((k) => ({ kid: k.kid, createdAt: k.createdAt, signs: k.kid === activeKid })), activeKid, environmentKid: deps.signingKeys.environmentKid };
}

/**
 * Rotate now: a new random key that signs every new link from this moment on this instance, and
 * on the others as soon as they see the change (PostgreSQL: the 'signing_keys' version, polled).
 * Old keys stay and keep verifying the links already in mail. Refused while OPTBOX_SECRET is set:
 * that secret signs every link, so a stored key would only ever verify.
 */
export async function rotateSigningKeyNow(deps: CoreDeps): Promise<{ kid: string }> {
  if (deps.signingKeys.environmentKid) throw new OptboxError('conflict', 'OPTBOX_SECRET is set and signs every link; rotate by changing it in the environment');
  const newest = (await deps.store.secrets.signingKeys())[0];
  // The newest key signs: never dated before the one it replaces, whatever the clock did.
  const key = newSigningKey(Math.max(deps.clock.now(), (newest?.createdAt ?? 0) + 1));
  await deps.store.secrets.addSigningKey(key);
  await deps.signingKeys.reload();
  return { kid: key.kid };
}

/**
 * Retire a key for good (for a leaked one): its row is deleted and every link signed with it,
 * also in mail already sent, stops working. The key that signs new links is refused.
 */
export async function retireSigningKey(deps: CoreDeps, kid: string): Promise<void> {
  if (kid === deps.tokens.activeKid()) throw new OptboxError('conflict', 'this key signs new links: rotate first, then retire it');
  const outcome = await deps.store.secrets.deleteSigningKey(kid, { keepNewest: deps.signingKeys.environmentKid === null });
  if (outcome === 'unknown') throw notFound(`signing key ${kid}`);
  if (outcome === 'newest') throw new OptboxError('conflict', 'this key signs new links: rotate first, then retire it');
  await deps.signingKeys.reload();
}
