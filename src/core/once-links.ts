import { randomBytes } from 'node:crypto';
import { activeContactById, type ActiveContact } from './contact.ts';
import type { CoreDeps } from './deps.ts';
import { invalidLink } from './errors.ts';
import type { LoginClaims } from './tokens.ts';

/**
 * Single-use links (the `login` token purpose): a sign-in or step-up link, an address-change
 * confirmation, a double opt-in confirmation. They expire in minutes and their id (jti) is
 * recorded in the database when used, so a second use is refused, by any process.
 */

/** What a single-use link is for: a plain sign-in (also step-up), an address change, a topic confirmation. */
export type LinkScope = 'signin' | 'email' | `topic:${string}` | `undo:${string}`;

/** A single-use link token: expires in minutes, its id is stored when used. */
export function signOnceToken(deps: CoreDeps, contactId: string, scope: LinkScope, minutes: number): { token: string; jti: string; expiresAt: number } {
  const jti = randomBytes(16).toString('base64url');
  const token = deps.tokens.sign('login', { contactId, jti, scope }, { expiresInSeconds: minutes * 60 });
  return { token, jti, expiresAt: deps.clock.now() + minutes * 60_000 };
}

/** Check a single-use link without using it (the GET page in front of the button). */
export function peekOnceToken(deps: CoreDeps, token: string, scope: 'signin' | 'email' | 'topic' | 'undo'): LoginClaims & { exp?: number } {
  const claims = deps.tokens.verify(token, 'login');
  const actual = claims.scope ?? 'signin';
  if (scope === 'topic' || scope === 'undo' ? !actual.startsWith(`${scope}:`) : actual !== scope) throw invalidLink('link is for something else');
  return claims;
}

/**
 * After an address change, links that went to the old mailbox (preference links, sign-in and
 * confirmation links) open nothing: they were issued before `linksIssuedAfter`. Links from
 * before issue times were recorded count as issued at 0.
 */
export function assertLinkCurrent(contact: { linksIssuedAfter: number | null }, issuedAtSeconds: number | undefined): void {
  if (contact.linksIssuedAfter !== null && (issuedAtSeconds ?? 0) * 1000 < Math.floor(contact.linksIssuedAfter / 1000) * 1000) {
    throw invalidLink('link was sent before the address changed');
  }
}

/** Use a single-use link: verified, and its id recorded; a second use is refused. */
export async function useOnceToken(deps: CoreDeps, token: string, scope: 'signin' | 'topic'): Promise<LoginClaims & { contact: ActiveContact }> {
  const claims = peekOnceToken(deps, token, scope);
  const contact = await activeContactById(deps, claims.contactId);
  assertLinkCurrent(contact, claims.issuedAt);
  const expiresAt = (claims.exp ?? 0) * 1000;
  if (!(await deps.store.sessions.useOnce(claims.jti, expiresAt, deps.clock.now()))) throw invalidLink('link already used');
  return { ...claims, contact };
}
