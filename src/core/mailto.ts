import type { CoreDeps } from './deps.ts';
import { OptboxError } from './errors.ts';
import { unsubscribe } from './subscriptions.ts';

/** A link token as the mail hook puts it in the mailto: subject (three base64url parts). */
const TOKEN = /[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/g;

/**
 * An unsubscribe by mail (RFC 2369 `mailto:` in List-Unsubscribe): the mail hook put the
 * contact's unsubscribe token in the subject (`unsubscribe <token>`). The first token in the
 * subject or the text that verifies as an `unsub` token unsubscribes its contact from its topic
 * with source `mailto`. Anything else (no token, a forged, foreign-purpose or erased one) changes
 * nothing, and the caller answers the same either way: the sender learns nothing about who exists.
 */
export async function unsubscribeByMail(deps: CoreDeps, mail: { subject: string; text: string }): Promise<'unsubscribed' | 'ignored'> {
  const candidates = [...(mail.subject.match(TOKEN) ?? []), ...(mail.text.slice(0, 4096).match(TOKEN) ?? [])].slice(0, 5);
  for (const token of candidates) {
    let claims;
    try {
      claims = deps.tokens.verify(token, 'unsub');
    } catch (err) {
      if (err instanceof OptboxError) continue;
      throw err;
    }
    try {
      await unsubscribe(deps, { contactId: claims.contactId, topic: claims.topic, campaign: claims.campaign, source: 'mailto' });
      return 'unsubscribed';
    } catch (err) {
      if (err instanceof OptboxError) return 'ignored'; // the contact is gone
      throw err;
    }
  }
  return 'ignored';
}
