import type { CoreDeps } from './deps.ts';
import { invalidLink } from './errors.ts';
import { peekOnceToken, signOnceToken } from './once-links.ts';

/**
 * Consent given back must come from the person (promise 7 in docs/ARCHITECTURE.md, GDPR art. 7(1)). A link in a
 * mail is a weak credential: whoever holds it (a forwarded mail, or an API key that can render
 * a mail for any address) may reduce mail with it, but turning mail back on from a session it
 * opened needs proof by the address owner: a confirmation link mailed to the address (as double
 * opt-in), or a session signed in by a mailed link minutes ago (step-up).
 *
 * The one exception is the immediate undo on the page that just did the unsubscribe: that page
 * carries an undo grant, a single-use token for exactly that scope, valid for UNDO_MINUTES.
 */
export const UNDO_MINUTES = 10;

/** A grant to undo the unsubscribe just made (scope: a topic id or '*'). */
export function undoGrant(deps: CoreDeps, contactId: string, scope: string): string {
  return signOnceToken(deps, contactId, `undo:${scope}`, UNDO_MINUTES).token;
}

/**
 * Use an undo grant: it must be for this contact and scope, unexpired and unused (it is used
 * up here). Throws invalid_link otherwise.
 */
export async function useUndoGrant(deps: CoreDeps, input: { token: string | undefined; contactId: string; scope: string }): Promise<void> {
  if (!input.token) throw invalidLink('the undo is no longer available: open your preferences to subscribe again');
  const claims = peekOnceToken(deps, input.token, 'undo');
  if (claims.contactId !== input.contactId || claims.scope !== `undo:${input.scope}`) throw invalidLink('undo is for something else');
  if (!(await deps.store.sessions.useOnce(claims.jti, (claims.exp ?? 0) * 1000, deps.clock.now()))) throw invalidLink('the undo was already used');
}
