import { z } from 'zod';
import { emailInput } from '../core/email.ts';
import { topicIdInput } from '../core/validation.ts';
import { templateData } from './template-data.ts';
import { TEMPLATE_NAME } from './templates.ts';

/** A prepare batch is rendered in one go and answered in one JSON body: keep it bounded. */
export const MAX_PREPARE_BATCH = 1000;

/**
 * A header value made from input must be one line: a CR or LF would end the header and let the
 * rest of the value become headers (or a body) of its own. Other control characters have no
 * business in a subject either. Refused, not silently cleaned: the sender should know.
 */
const oneLine = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !/[\p{Cc}\u2028\u2029]/u.test(s), 'must be one line without control characters (CR or LF would start a new mail header)');

/** One mail to one recipient: the same shape for the Node hook, Nodemailer and HTTP. */
export const prepareInput = z
  .object({
    to: emailInput,
    /** The topic of a marketing mail; left out for transactional mail. */
    topic: topicIdInput.optional(),
    template: z.string().regex(TEMPLATE_NAME, 'is not a template name (a-z, 0-9, - and _)'),
    /** Template variables (flat: strings, numbers, booleans, lists of them); HTML in them is escaped. */
    data: templateData.default({}),
    /** Subject line; without it the template's <mj-title> is used. */
    subject: oneLine(300).optional(),
    /** Named in the unsubscribe token, so the ledger shows which campaign made people leave. */
    campaign: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\w.:-]+$/, 'may hold letters, digits, _ . : and -')
      .optional(),
    transactional: z.boolean().optional(),
    /** Language when optbox does not know the recipient; a contact's own language wins. */
    locale: z.enum(['nl', 'en']).optional(),
  })
  .strict()
  // Transactional mail has no topic (it bypasses topic checks); every other mail has one.
  .superRefine((input, ctx) => {
    if (input.transactional && input.topic !== undefined) ctx.addIssue({ code: 'custom', path: ['topic'], message: 'transactional mail has no topic (leave it out, or set transactional: false)' });
    if (!input.transactional && input.topic === undefined) ctx.addIssue({ code: 'custom', path: ['topic'], message: 'is required unless the mail is transactional' });
  });

/** `data` is typed loosely: it is checked at run time, naming the bad value (`data.firstName`). */
export type PrepareInput = Omit<z.input<typeof prepareInput>, 'data'> & { data?: Record<string, unknown> | undefined };
export type ValidPrepareInput = z.output<typeof prepareInput>;

export const prepareBatchInput = z.array(prepareInput).min(1).max(MAX_PREPARE_BATCH);
