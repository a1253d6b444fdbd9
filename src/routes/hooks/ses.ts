import { Hono } from 'hono';
import { z } from 'zod';
import { OptboxError } from '../../core/errors.ts';
import type { FeedbackKind, ProviderEvent } from '../../core/provider-events.ts';
import { parseOrThrow } from '../../core/validation.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { parseJson, requireBasicAuth } from './auth.ts';
import { recordEvents } from './record.ts';
import { requestLogger } from '../request-log.ts';
import { awsSnsHttp, createSnsVerifier } from './sns.ts';

const recipients = z.array(z.object({ emailAddress: z.string().max(320) }).loose()).max(1000);

/**
 * An SES notification (identity notifications: `notificationType`; configuration-set event
 * publishing: `eventType`). Only bounces and complaints are acted on; SES adds fields over time,
 * so unknown ones pass.
 */
const sesNotification = z
  .object({
    notificationType: z.string().max(40).optional(),
    eventType: z.string().max(40).optional(),
    mail: z.object({ messageId: z.string().max(200) }).loose(),
    bounce: z.object({ bounceType: z.string().max(40), bounceSubType: z.string().max(60).optional(), bouncedRecipients: recipients, feedbackId: z.string().max(200).optional() }).loose().optional(),
    complaint: z.object({ complainedRecipients: recipients, complaintFeedbackType: z.string().max(60).optional(), feedbackId: z.string().max(200).optional() }).loose().optional(),
  })
  .loose();

/** One SES notification as an optbox provider event; `fallbackId` when SES gave no feedback id. */
export function sesEvent(raw: unknown, fallbackId: string): ProviderEvent {
  const n = parseOrThrow(sesNotification, raw, 'Message');
  const type = n.notificationType ?? n.eventType ?? 'unknown';
  let kind: FeedbackKind | null = null;
  let list: Array<{ emailAddress: string }> = [];
  let feedbackId: string | undefined;
  if (type === 'Bounce' && n.bounce) {
    // Permanent: the address does not exist. Transient (mailbox full, message too large) and
    // Undetermined are counted as soft bounces.
    kind = n.bounce.bounceType === 'Permanent' ? 'bounce' : 'soft-bounce';
    list = n.bounce.bouncedRecipients;
    feedbackId = n.bounce.feedbackId;
  } else if (type === 'Complaint' && n.complaint && n.complaint.complaintFeedbackType !== 'not-spam') {
    kind = 'complaint';
    list = n.complaint.complainedRecipients;
    feedbackId = n.complaint.feedbackId;
  }
  return {
    provider: 'ses',
    // The feedback id names the bounce or complaint itself: the same one delivered raw and
    // wrapped, or twice, is taken in once.
    id: feedbackId ?? fallbackId,
    kind,
    type: n.bounce ? `${type}/${n.bounce.bounceType}` : type,
    recipients: list.map((r) => r.emailAddress),
  };
}

/**
 * POST /hooks/ses: Amazon SES feedback through an SNS topic (HTTPS subscription).
 * - The JSON envelope (default) is verified against its signature (SignatureVersion 1 or 2) and
 *   the topic must be one of SES_SNS_TOPIC_ARNS; a SubscriptionConfirmation is confirmed by a GET
 *   of its SubscribeURL, which must lie on SNS too.
 * - Raw message delivery carries no signature, so it is taken only with SES_BASIC_AUTH (put the
 *   credentials in the subscription URL: https://user:pass@host/hooks/ses).
 */
export function createSesRoutes(deps: AppDeps) {
  const cfg = deps.config.feedback;
  const sns = createSnsVerifier(deps.snsHttp ?? awsSnsHttp);
  return new Hono<AppEnv>().post('/', async (c) => {
    if (cfg.sesTopicArns.length === 0) throw new OptboxError('not_found', 'no such route');
    if (cfg.sesBasicAuth) requireBasicAuth(c.req.header('authorization'), cfg.sesBasicAuth);
    const body = parseJson(await c.req.text());
    const raw = c.req.header('x-amz-sns-rawdelivery') === 'true' || (typeof body === 'object' && body !== null && !('Signature' in body) && ('notificationType' in body || 'eventType' in body));
    if (raw) {
      if (!cfg.sesBasicAuth) throw new OptboxError('unauthorized', 'raw message delivery is unsigned: configure SES_BASIC_AUTH to take it in');
      const topic = c.req.header('x-amz-sns-topic-arn');
      if (topic !== undefined && !cfg.sesTopicArns.includes(topic)) throw new OptboxError('forbidden', 'not a topic this server takes in');
      const messageId = c.req.header('x-amz-sns-message-id') ?? '';
      return recordEvents(deps, c, [sesEvent(body, messageId || `mail:${(body as { mail?: { messageId?: string } }).mail?.messageId ?? ''}`)]);
    }
    const m = await sns.verify(body, cfg.sesTopicArns, deps.core.clock.now(), cfg.maxAgeSeconds);
    if (m.Type === 'SubscriptionConfirmation') {
      try {
        await sns.confirm(m);
      } catch (err) {
        if (err instanceof OptboxError) throw err;
        requestLogger(c, deps.logger).warn({ topic: m.TopicArn, err: (err as Error).message }, 'SNS subscription confirmation failed');
        return c.json({ error: { code: 'internal', message: 'could not confirm the subscription; SNS will retry' } }, 502);
      }
      requestLogger(c, deps.logger).info({ topic: m.TopicArn }, 'SNS subscription confirmed');
      return c.json({ confirmed: true });
    }
    if (m.Type === 'UnsubscribeConfirmation') return c.json({ received: 0 });
    return recordEvents(deps, c, [sesEvent(parseJson(m.Message), m.MessageId)]);
  });
}
