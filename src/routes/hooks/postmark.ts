import { Hono } from 'hono';
import { z } from 'zod';
import { OptboxError } from '../../core/errors.ts';
import type { FeedbackKind, ProviderEvent } from '../../core/provider-events.ts';
import { parseOrThrow } from '../../core/validation.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { parseJson, requireBasicAuth } from './auth.ts';
import { recordEvents } from './record.ts';

const record = z.discriminatedUnion('RecordType', [
  z.object({ RecordType: z.literal('Bounce'), ID: z.union([z.number(), z.string().max(100)]), Type: z.string().max(60), Email: z.string().max(320) }).loose(),
  z.object({ RecordType: z.literal('SpamComplaint'), ID: z.union([z.number(), z.string().max(100)]), Email: z.string().max(320) }).loose(),
  z
    .object({
      RecordType: z.literal('SubscriptionChange'),
      MessageID: z.string().max(100).nullable().optional(),
      Recipient: z.string().max(320),
      ChangedAt: z.string().max(60),
      Origin: z.string().max(40).optional(),
      SuppressSending: z.boolean(),
      SuppressionReason: z.string().max(60).nullable().optional(),
    })
    .loose(),
  z.object({ RecordType: z.enum(['Delivery', 'Open', 'Click']) }).loose(),
]);

// Postmark bounce types (its Bounce API): what each means for the address.
const HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
const SOFT = new Set(['SoftBounce', 'Transient', 'DnsError', 'Blocked', 'DMARCPolicy']);
const COMPLAINT = new Set(['SpamNotification', 'SpamComplaint']);

/** One Postmark webhook record as a provider event (null: nothing to act on). */
export function postmarkEvent(raw: unknown): ProviderEvent | null {
  const r = parseOrThrow(record, raw);
  if (r.RecordType === 'Bounce') {
    const kind: FeedbackKind | null = HARD.has(r.Type) ? 'bounce' : SOFT.has(r.Type) ? 'soft-bounce' : COMPLAINT.has(r.Type) ? 'complaint' : r.Type === 'Unsubscribe' ? 'unsubscribe' : null;
    return kind ? { provider: 'postmark', id: `Bounce:${r.ID}`, kind, type: `Bounce/${r.Type}`, recipients: [r.Email] } : null;
  }
  if (r.RecordType === 'SpamComplaint') return { provider: 'postmark', id: `SpamComplaint:${r.ID}`, kind: 'complaint', type: 'SpamComplaint', recipients: [r.Email] };
  if (r.RecordType === 'SubscriptionChange') {
    // A reactivation (SuppressSending false) lifts nothing here: lifting a suppression is an
    // explicit act through the suppression API. A manual suppression made by the sender
    // (Origin Customer or Admin) is not the person's own unsubscribe.
    if (!r.SuppressSending) return null;
    const kind: FeedbackKind | null =
      r.SuppressionReason === 'HardBounce' ? 'bounce'
      : r.SuppressionReason === 'SpamComplaint' ? 'complaint'
      : r.SuppressionReason === 'ManualSuppression' && r.Origin === 'Recipient' ? 'unsubscribe'
      : null;
    return kind ? { provider: 'postmark', id: `SubscriptionChange:${r.MessageID ?? ''}:${r.Recipient.toLowerCase()}:${r.ChangedAt}`, kind, type: `SubscriptionChange/${r.SuppressionReason ?? ''}`, recipients: [r.Recipient] } : null;
  }
  return null;
}

/**
 * POST /hooks/postmark: Postmark's Bounce, Spam Complaint and Subscription Change webhooks.
 * Postmark signs nothing; its credential is the basic auth set in the webhook URL
 * (https://user:pass@host/hooks/postmark) over https, checked against POSTMARK_WEBHOOK_AUTH.
 * A retried record carries the same ID and changes nothing.
 */
export function createPostmarkRoutes(deps: AppDeps) {
  const auth = deps.config.feedback.postmarkAuth;
  return new Hono<AppEnv>().post('/', async (c) => {
    if (!auth) throw new OptboxError('not_found', 'no such route');
    requireBasicAuth(c.req.header('authorization'), auth);
    const event = postmarkEvent(parseJson(await c.req.text()));
    return recordEvents(deps, c, event ? [event] : []);
  });
}
