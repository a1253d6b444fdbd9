/**
 * The list headers of a marketing mail.
 *
 * RFC 2369 §3.2: List-Unsubscribe is a comma-separated list of URIs in angle brackets; the
 * https URI first, since RFC 8058 one-click needs an HTTPS one, and a mailto: alternative when
 * the operator reads such mail (UNSUBSCRIBE_MAILTO). RFC 8058 §3.1: List-Unsubscribe-Post with
 * exactly `List-Unsubscribe=One-Click` tells the mailbox provider it may POST that body to the
 * URI; §4 requires both headers to be covered by a valid DKIM signature (RFC 6376), which
 * Nodemailer's DKIM signer does by default (see nodemailer.ts).
 *
 * Values are built only from the configured origin and mailto address and a base64url token,
 * and are checked once more here: no input can put a CR, LF or another header into them.
 */
export function listUnsubscribeHeaders(input: { unsubscribeUrl: string; token: string; mailto?: string | undefined }): Record<string, string> {
  const uris = [input.unsubscribeUrl];
  if (input.mailto) uris.push(`mailto:${input.mailto}?subject=${encodeURIComponent(`unsubscribe ${input.token}`)}`);
  for (const uri of uris) {
    // Printable ASCII without the list delimiters: anything else would break the header's syntax.
    if (!/^[\x21-\x7e]+$/.test(uri) || /[<>,"]/.test(uri)) throw new Error('refusing to build a List-Unsubscribe header from an unsafe URI');
  }
  return {
    'List-Unsubscribe': uris.map((u) => `<${u}>`).join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/**
 * RFC 2919 List-Id for a topic: `"Topic name" <topic.lists.example.com>`. Mailbox providers group
 * and filter by it, and Gmail shows its unsubscribe button more readily for a list that names
 * itself. The id is a dot-atom under a domain the operator controls (LIST_ID_DOMAIN); the phrase
 * is left out unless it is plain ASCII (an encoded word would need RFC 2047).
 */
export function listIdHeader(input: { topicId: string; topicName: string; domain: string }): Record<string, string> {
  const label = input.topicId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'list';
  const id = `${label}.${input.domain}`;
  const phrase = /^[\x20-\x7e]{1,80}$/.test(input.topicName) ? `"${input.topicName.replace(/["\\]/g, '')}" ` : '';
  return { 'List-Id': `${phrase}<${id}>` };
}

/**
 * Gmail's Feedback-ID (Postmaster Tools feedback loop): `campaign:topic:sender-id`, the sender id
 * last and stable, each part without colons. Gmail reports complaint rates per part, so a
 * campaign that makes people press "spam" shows up by name. Only characters Gmail accepts.
 */
export function feedbackIdHeader(input: { campaign?: string | undefined; topicId: string; senderId: string }): Record<string, string> {
  const part = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 40) || 'none';
  return { 'Feedback-ID': `${part(input.campaign ?? 'none')}:${part(input.topicId)}:${part(input.senderId)}` };
}
