import { createHmac } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { OptboxError } from '../../core/errors.ts';
import type { FeedbackKind } from '../../core/provider-events.ts';
import { parseOrThrow } from '../../core/validation.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { parseJson, requireFresh, sameSecret } from './auth.ts';
import { recordEvents } from './record.ts';

const payload = z.object({
  signature: z.object({ timestamp: z.string().regex(/^\d{1,12}$/), token: z.string().min(16).max(200), signature: z.string().regex(/^[0-9a-f]{64}$/i) }),
  'event-data': z
    .object({
      id: z.string().min(1).max(200),
      event: z.string().max(40),
      severity: z.string().max(40).optional(),
      recipient: z.string().max(320).optional(),
    })
    .loose(),
});

function kindOf(e: { event: string; severity?: string | undefined }): FeedbackKind | null {
  if (e.event === 'failed') return e.severity === 'permanent' ? 'bounce' : 'soft-bounce';
  if (e.event === 'complained') return 'complaint';
  if (e.event === 'unsubscribed') return 'unsubscribe';
  return null;
}

/**
 * POST /hooks/mailgun: Mailgun webhooks (JSON). Mailgun signs timestamp + token with
 * HMAC-SHA256 under the webhook signing key; the timestamp must lie within
 * FEEDBACK_MAX_AGE_SECONDS and a token is taken once (kept with the event, in its unit of work).
 */
export function createMailgunRoutes(deps: AppDeps) {
  const cfg = deps.config.feedback;
  return new Hono<AppEnv>().post('/', async (c) => {
    if (!cfg.mailgunSigningKey) throw new OptboxError('not_found', 'no such route');
    const body = parseJson(await c.req.text());
    const sig = (body as { signature?: unknown } | null)?.signature;
    if (typeof sig !== 'object' || sig === null) throw new OptboxError('unauthorized', 'signature missing');
    const p = parseOrThrow(payload, body);
    const expected = createHmac('sha256', cfg.mailgunSigningKey).update(p.signature.timestamp + p.signature.token).digest('hex');
    if (!sameSecret(p.signature.signature.toLowerCase(), expected)) throw new OptboxError('forbidden', 'signature does not verify');
    requireFresh(Number(p.signature.timestamp), deps.core.clock.now(), cfg.maxAgeSeconds);
    const e = p['event-data'];
    const kind = kindOf(e);
    return recordEvents(deps, c, [
      { provider: 'mailgun', id: e.id, kind, type: e.severity ? `${e.event}/${e.severity}` : e.event, recipients: kind && e.recipient ? [e.recipient] : [], nonce: p.signature.token },
    ]);
  });
}
