import { z } from 'zod';
import { emailInput } from '../../core/email.ts';
import { ERROR_CODES } from '../../core/errors.ts';
import { MAX_BULK_ADD } from '../../core/suppressions.ts';
import { topicIdInput } from '../../core/validation.ts';
import { WEBHOOK_EVENT_TYPES } from '../../core/webhooks.ts';

/**
 * The marketing API's shapes, in one place. Request schemas validate (readJson/readQuery) and
 * the same objects generate the OpenAPI document (openapi.ts); response schemas are what the
 * handlers' view functions are typed against, so the document cannot drift from the answers.
 * Formats and bounds are the ones the server enforces, so a value a generated client builds
 * from the document is one the server accepts.
 */

export const topicId = topicIdInput;
const scopeValue = z
  .string()
  .min(1)
  .max(64)
  .regex(/^(?:\*|[a-z0-9][a-z0-9_-]*)$/, 'is not a topic id or *')
  .meta({ description: 'A topic id, or `*` for every topic.', example: '*' });
const emailIn = emailInput;
export const instant = z.iso.datetime({ offset: true }).describe('RFC 3339 date-time.');
const instantIn = instant.transform((s) => Date.parse(s));
export const reason = z.enum(['unsubscribe', 'bounce', 'complaint', 'manual', 'erasure']);
/** A query string carries text: a whole number in it is read as one, anything else is refused as not a number. */
const wholeNumber = (v: unknown) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v);
const limit = (max: number, dflt: number) =>
  z
    .preprocess(wholeNumber, z.number().int().min(1).max(max))
    .default(dflt)
    .describe(`Page size, 1 to ${max} (default ${dflt}).`);
const cursor = z.string().min(1).max(512).describe('Opaque cursor from `nextCursor` of an earlier answer.');
const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable(), hasMore: z.boolean() });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum([...ERROR_CODES, 'internal']),
      message: z.string(),
      fields: z
        .array(z.object({ field: z.string().describe('The input as the client wrote it: `emails[3]`, `topics.newsletter`, `topics[""]`, or an unknown query parameter or body key by its own name.'), message: z.string() }))
        .optional(),
    }),
  })
  .meta({ id: 'Error', description: 'Every API error has this shape.' });

// ---- contacts

export const Contact = z
  .object({
    id: z.string(),
    email: z.string().nullable().describe('Null once erased.'),
    externalId: z.string().nullable().describe('Your own id for this person.'),
    locale: z.enum(['nl', 'en']),
    status: z.enum(['active', 'erased']),
    topics: z.record(z.string(), z.enum(['subscribed', 'unsubscribed', 'pending'])).describe('Effective status per topic.'),
    pausedUntil: instant.nullable().describe('GDPR art. 18 restriction: no mail until then.'),
    noProfiling: z.boolean().describe('GDPR art. 21 objection to profiling ("similar profiles"): do not use this person for lookalike audiences.'),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Contact' });

export const ConsentProof = z
  .strictObject({
    via: z.string().min(1).max(100).optional().describe('Where consent was given, in your words (e.g. `signup-form`).'),
    policyVersion: z.string().min(1).max(40).optional().describe('Privacy-policy version shown; the server default when absent.'),
    at: instantIn.optional().describe('When consent was given.'),
    ip: z.union([z.ipv4().meta({ format: 'ipv4' }), z.ipv6().meta({ format: 'ipv6' })]).optional().describe('IP the consent came from; kept only truncated and hashed.'),
    userAgent: z.string().max(1024).optional().describe('Kept only hashed.'),
    text: z.string().min(1).max(10_000).optional().describe('The exact consent wording shown; kept once per version.'),
  })
  .meta({ id: 'ConsentProof' });

export const UpsertContactRequest = z
  .strictObject({
    email: emailIn,
    locale: z.enum(['nl', 'en']).optional(),
    externalId: z.string().min(1).max(200).optional(),
    topics: z.array(topicId).max(100).optional().describe('Topics to subscribe. Suppressions are never lifted by this.'),
    consent: ConsentProof.optional(),
  })
  .meta({ id: 'UpsertContactRequest' });

export const UpsertContactResponse = z.object({ contact: Contact, created: z.boolean(), subscribed: z.array(z.string()) }).meta({ id: 'UpsertContactResponse' });

export const UpdateContactRequest = z
  .strictObject({
    topics: z
      .record(topicId, z.boolean())
      .meta({ propertyNames: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' } })
      .optional().describe('topic → subscribed. `false` unsubscribes (and suppresses the topic); `true` subscribes but lifts no suppression.'),
    locale: z.enum(['nl', 'en']).optional(),
    externalId: z.string().min(1).max(200).nullable().optional(),
    noProfiling: z.boolean().optional(),
    pausedUntil: instantIn.nullable().optional(),
  })
  .meta({ id: 'UpdateContactRequest' });

export const ContactIdParams = z.object({ id: z.string().min(1).max(64) });

export const ListContactsQuery = z.strictObject({
  email: emailIn.optional().describe('Find the contact with this address (0 or 1 result).'),
  externalId: z.string().min(1).max(200).optional().describe('Find the contact with this external id (0 or 1 result).'),
  cursor: cursor.optional(),
  limit: limit(500, 100),
});
export const ContactPage = page(Contact).meta({ id: 'ContactPage' });

export const EraseResponse = z.object({ id: z.string(), status: z.literal('erased'), erased: z.boolean().describe('False when it was already erased.') }).meta({ id: 'EraseResponse' });

// ---- suppressions

export const SuppressionChange = z
  .object({
    key: z.string().describe('Stable pseudonymous id of the address (base64url of its keyed hash); with `scope` it identifies the entry, also after erasure.'),
    email: z.string().nullable().describe('Null after the person was erased.'),
    scope: z.string(),
    reason,
    source: z.string(),
    createdAt: instant,
    expiresAt: instant.nullable().describe('Soft bounces lapse; treat as not suppressed after this.'),
    deleted: z.boolean().describe('True: the suppression was removed; drop it from your copy.'),
    changedAt: instant,
  })
  .meta({ id: 'SuppressionChange' });

export const ListSuppressionsQuery = z.strictObject({
  cursor: cursor.optional().describe('Without: what stands now. With: everything changed after it, removals included.'),
  limit: limit(1000, 100),
  topic: scopeValue.optional().describe('Only what applies to this topic: its own and the global (`*`) suppressions.'),
  scope: scopeValue.optional().describe('Only this exact scope.'),
  reason: reason.optional(),
  since: instantIn.optional().describe('Only changes at or after this instant.'),
});
export const SuppressionPage = page(SuppressionChange).meta({ id: 'SuppressionPage' });

export const Suppression = z.object({ scope: z.string(), reason, source: z.string(), createdAt: instant, expiresAt: instant.nullable() }).meta({ id: 'Suppression' });
export const AddressSuppressions = z.object({ email: z.string(), suppressed: z.boolean(), suppressions: z.array(Suppression) }).meta({ id: 'AddressSuppressions' });
export const EmailParams = z.object({ email: emailIn });

export const AddSuppressionsRequest = z
  .strictObject({
    suppressions: z
      .array(
        z.strictObject({
          email: emailIn,
          scope: scopeValue.optional().describe('Default `*`.'),
          reason: z.enum(['bounce', 'complaint', 'manual', 'unsubscribe']).optional().describe('Default `manual`.'),
          expiresAt: instantIn.optional().describe('For soft bounces: lapses then.'),
        }),
      )
      .min(1)
      .max(MAX_BULK_ADD),
  })
  .meta({ id: 'AddSuppressionsRequest' });

export const AddSuppressionsResponse = z
  .object({
    created: z.number().int(),
    existing: z.number().int(),
    failed: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int(),
        email: z.string(),
        status: z.enum(['created', 'exists', 'error']),
        error: z.object({ code: z.literal('invalid_input'), field: z.string(), message: z.string() }).optional(),
      }),
    ),
  })
  .meta({ id: 'AddSuppressionsResponse', description: 'One result per item, in the order sent.' });

export const RemoveSuppressionQuery = z.strictObject({
  scope: scopeValue.optional().describe('Default `*`.'),
  override: z.enum(['true', 'false']).optional().transform((v) => v === 'true').describe('Needed to remove a `complaint` or `erasure` suppression.'),
});
export const RemoveSuppressionResponse = z.object({ removed: z.number().int() }).meta({ id: 'RemoveSuppressionResponse' });

export const ExportQuery = z.strictObject({
  format: z.enum(['csv', 'ndjson']).optional().transform((f) => f ?? 'csv'),
  topic: scopeValue.optional(),
  reason: reason.optional(),
});

export const CheckRequest = z
  .strictObject({
    emails: z.array(emailIn).min(1).max(10_000),
    topic: topicId.optional().describe('Without: only global suppressions count (transactional mail).'),
  })
  .meta({ id: 'CheckRequest' });
export const CheckResponse = z
  .object({ results: z.array(z.object({ email: z.string(), suppressed: z.boolean(), reason: reason.nullable(), scope: z.string().nullable() })) })
  .meta({ id: 'CheckResponse' });

// ---- webhooks

const eventType = z.enum(WEBHOOK_EVENT_TYPES);
export const WebhookEndpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(eventType),
    description: z.string(),
    createdAt: instant,
    failingSince: instant.nullable().describe('Since when every attempt failed; null while the receiver answers.'),
    pausedUntil: instant.nullable().describe('A failing endpoint is paused as a whole until then (one delivery is tried per pause).'),
  })
  .meta({ id: 'WebhookEndpoint' });
export const CreatedWebhookEndpoint = WebhookEndpoint.extend({ secret: z.string().describe('`whsec_…`: shown only now. Verify signatures with it (Standard Webhooks).') }).meta({ id: 'CreatedWebhookEndpoint' });
export const CreateWebhookRequest = z
  .strictObject({
    url: z
      .string()
      .min(1)
      .max(2000)
      .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
      .meta({ format: 'uri', description: 'http:// or https:// URL that receives POSTs.', example: 'https://crm.example.com/hooks/optbox' }),
    events: z.array(eventType).min(1).max(WEBHOOK_EVENT_TYPES.length),
    description: z.string().max(200).optional(),
    secret: z.string().max(200).optional().describe('Your own `whsec_` secret; generated when absent.'),
  })
  .meta({ id: 'CreateWebhookRequest' });
export const WebhookList = z.object({ data: z.array(WebhookEndpoint) }).meta({ id: 'WebhookList' });
export const WebhookIdParams = z.object({ id: z.string().min(1).max(64) });
export const WebhookDelivery = z
  .object({
    id: z.number().int(),
    eventId: z.string().describe('The `webhook-id` header.'),
    type: eventType,
    state: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: instant.nullable(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: instant.nullable(),
    createdAt: instant,
    attemptLog: z.array(z.object({ at: instant, statusCode: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number().int() })),
  })
  .meta({ id: 'WebhookDelivery' });
export const DeliveriesQuery = z.strictObject({ cursor: cursor.optional(), limit: limit(200, 50) });
export const DeliveryPage = page(WebhookDelivery).meta({ id: 'WebhookDeliveryPage' });
