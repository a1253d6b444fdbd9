import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { OptboxError } from '../../core/errors.ts';
import type { FeedbackKind, ProviderEvent } from '../../core/provider-events.ts';
import { parseOrThrow } from '../../core/validation.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { parseJson, requireFresh } from './auth.ts';
import { recordEvents } from './record.ts';

/** SendGrid shows the verification key as base64 DER (SubjectPublicKeyInfo); PEM is taken too. */
export function sendgridKey(text: string): KeyObject {
  const trimmed = text.trim();
  return trimmed.startsWith('-----BEGIN') ? createPublicKey(trimmed) : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
}

const events = z
  .array(
    z
      .object({
        email: z.string().max(320),
        event: z.string().max(40),
        sg_event_id: z.string().max(200).optional(),
        type: z.string().max(40).optional(),
        timestamp: z.number().optional(),
      })
      .loose(),
  )
  .max(10_000);

function kindOf(e: { event: string; type?: string | undefined }): FeedbackKind | null {
  if (e.event === 'bounce') return e.type === 'blocked' ? 'soft-bounce' : 'bounce'; // "blocked": refused for now, not unknown
  if (e.event === 'spamreport') return 'complaint';
  // group_unsubscribe names a SendGrid unsubscribe group optbox cannot map to a topic: the
  // person asked for less mail, so they get none (an objection is never narrowed).
  if (e.event === 'unsubscribe' || e.event === 'group_unsubscribe') return 'unsubscribe';
  return null; // processed, delivered, deferred, dropped, open, click
}

/**
 * POST /hooks/sendgrid: the Event Webhook with signature verification on. SendGrid signs
 * timestamp + raw body with ECDSA P-256 / SHA-256 (headers X-Twilio-Email-Event-Webhook-Signature
 * and -Timestamp); the timestamp must lie within FEEDBACK_MAX_AGE_SECONDS.
 */
export function createSendgridRoutes(deps: AppDeps) {
  const cfg = deps.config.feedback;
  const key = cfg.sendgridPublicKey ? sendgridKey(cfg.sendgridPublicKey) : undefined;
  return new Hono<AppEnv>().post('/', async (c) => {
    if (!key) throw new OptboxError('not_found', 'no such route');
    const signature = c.req.header('x-twilio-email-event-webhook-signature');
    const timestamp = c.req.header('x-twilio-email-event-webhook-timestamp');
    if (!signature || !timestamp) throw new OptboxError('unauthorized', 'signed event webhook headers missing');
    const body = await c.req.text();
    if (!verify('sha256', Buffer.from(timestamp + body, 'utf8'), key, Buffer.from(signature, 'base64'))) throw new OptboxError('forbidden', 'signature does not verify');
    requireFresh(/^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN, deps.core.clock.now(), cfg.maxAgeSeconds);
    const list = parseOrThrow(events, parseJson(body));
    return recordEvents(
      deps,
      c,
      list.flatMap((e): ProviderEvent[] => {
        const kind = kindOf(e);
        if (!kind) return [];
        // sg_event_id is SendGrid's de-duplication key; an event without one is keyed by its content.
        const id = e.sg_event_id ?? 'sha256:' + createHash('sha256').update(JSON.stringify(e)).digest('base64url');
        return [{ provider: 'sendgrid', id, kind, type: e.type ? `${e.event}/${e.type}` : e.event, recipients: [e.email] }];
      }),
    );
  });
}
