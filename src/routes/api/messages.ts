import { Hono } from 'hono';
import { z } from 'zod';
import { scope } from '../../auth/api-key.ts';
import { invalidInput } from '../../core/errors.ts';
import { REFUSAL_REASONS } from '../../core/may-mail.ts';
import { prepareBatchInput, prepareInput } from '../../mail/input.ts';
import type { RouteDoc } from './doc.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { readJson } from '../validate.ts';
import { chargeAddresses } from './rate-limit.ts';

/** Any JSON object; the hook validates the fields itself, naming them as the client wrote them. */
const body = z.record(z.string(), z.unknown());

/**
 * The mail hook over HTTP, for senders that are not Node or do not run beside the database.
 * One message: the body is prepare()'s input, the answer its result. A send: `{"recipients":
 * [...]}` answers `{"results": [...]}` in the same order. Asking is a read; nothing changes.
 */
export function createMessageRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post('/messages/prepare', scope('messages:prepare'), async (c) => {
    const input = await readJson(c, body);
    await chargeAddresses(c, Array.isArray(input.recipients) ? input.recipients.length : 1);
    const hook = await deps.mail.hook();
    c.header('Cache-Control', 'no-store');
    if ('recipients' in input) {
      const extra = Object.keys(input).find((k) => k !== 'recipients');
      if (extra) throw invalidInput(extra, 'a batch body holds only "recipients"; put the fields in each recipient');
      return c.json({ results: await hook.prepareBatch(input.recipients as never) });
    }
    return c.json(await hook.prepare(input as never));
  });
}

/** The body as documented: one message, or a batch of them (the handler validates each the same way). */
const documentedBody = z.union([prepareInput, z.strictObject({ recipients: prepareBatchInput })]).meta({ id: 'PrepareRequest' });

/** What prepare() answers (mail/hook.ts PreparedMail and RefusedMail), as the document shows it. */
const PreparedMail = z
  .object({
    to: z.string(),
    send: z.literal(true),
    subject: z.string(),
    html: z.string(),
    text: z.string(),
    headers: z.record(z.string(), z.string()).describe('`List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058) for topic mail; empty for transactional mail.'),
    unsubscribeUrl: z.string().nullable().describe('Null for transactional mail.'),
    preferencesUrl: z.string().nullable().describe('Null when optbox does not know the recipient (transactional mail only).'),
    locale: z.enum(['nl', 'en']),
  })
  .meta({ id: 'PreparedMail' });
const RefusedMail = z
  .object({
    to: z.string(),
    send: z.literal(false),
    reason: z.enum(REFUSAL_REASONS),
    scope: z.string().describe('The topic id, or `*`, whose suppression or subscription refused it.'),
  })
  .meta({ id: 'RefusedMail' });
// A plain union: OpenAPI's discriminator names schemas by string values, and `send` is a boolean.
const PrepareResult = z.union([PreparedMail, RefusedMail]).meta({ id: 'PrepareResult' });
const PrepareResponse = z.union([PrepareResult, z.object({ results: z.array(PrepareResult) })]).meta({ id: 'PrepareResponse' });

export const messageDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/messages/prepare',
    operationId: 'prepareMessages',
    tag: 'Messages',
    scope: 'messages:prepare',
    summary: 'Ask whether a mail may go, and render it with its personal links and headers',
    description:
      'One message, or `{"recipients": [...]}` (up to 1,000) answered as `{"results": [...]}` in the same order. Each answer is `{send: false, reason, scope}` or `{send: true, subject, html, text, headers, unsubscribeUrl, preferencesUrl}`, with `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058) in `headers` for topic mail. A read: nothing changes.',
    body: documentedBody,
    example: { body: { to: 'ann@example.com', topic: 'newsletter', template: 'newsletter', subject: 'November news', campaign: 'nov-2026', data: { firstName: 'Ann', body: 'What is new this month.' } } },
    responses: { 200: { description: 'The decision, and the rendered mail when it may go; for a batch, `{results}` in the order sent.', schema: PrepareResponse } },
  },
];
