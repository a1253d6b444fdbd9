import { z } from 'zod';
import { instant, reason } from './schemas.ts';

/**
 * What a webhook receiver gets, for the `webhooks` section of the document. The payloads are
 * written by the stores (db/stores/*: emitSync); the webhook tests check every delivery they
 * receive against these.
 */

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), timestamp: instant.describe('When the change happened.'), data });

export const SuppressionEventData = z
  .object({
    key: z.string().describe('The keyed hash of the address (base64url), as `key` in the sync API: the same for the same address, and kept after erasure, so a receiver matches a change to what it holds even when `email` is null.'),
    email: z.string().nullable().describe('Null once the person was erased (also in deliveries still pending then).'),
    scope: z.string().describe('A topic id, or `*` for every topic.'),
    reason,
    source: z.string(),
    createdAt: instant,
    expiresAt: instant.nullable(),
  })
  .meta({ id: 'SuppressionEventData' });

export const SubscriptionUpdatedEvent = envelope(
  'subscription.updated',
  z.object({
    contactId: z.string(),
    externalId: z.string().nullable().describe('Your id for the person; null when none, or once erased.'),
    topics: z.array(z.string()).min(1).describe('The topics that changed, all to `status`.'),
    status: z.enum(['subscribed', 'unsubscribed', 'pending']),
    source: z.string().describe('How: `api`, `one-click`, `preference-center`, …'),
  }),
).meta({ id: 'SubscriptionUpdatedEvent' });
export const SuppressionCreatedEvent = envelope('suppression.created', SuppressionEventData).meta({ id: 'SuppressionCreatedEvent' });
export const SuppressionDeletedEvent = envelope('suppression.deleted', SuppressionEventData).meta({ id: 'SuppressionDeletedEvent' });
export const ContactErasedEvent = envelope('contact.erased', z.object({ contactId: z.string(), erasedAt: instant })).meta({ id: 'ContactErasedEvent' });
