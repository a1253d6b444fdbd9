import type { Config } from '../config.ts';
import type { CoreDeps } from '../core/deps.ts';
import { invalidInput } from '../core/errors.ts';
import { linksFor } from '../core/links.ts';
import { knownTopic } from '../core/topics.ts';
import { mayMail, type MailRecipient, type RefusalReason } from '../core/may-mail.ts';
import type { TopicRow } from '../db/store.ts';
import type { Locale } from '../i18n/messages.ts';
import { topicName } from '../i18n/topics.ts';
import { feedbackIdHeader, listIdHeader, listUnsubscribeHeaders } from './headers.ts';
import { parseOrThrow } from '../core/validation.ts';
import { prepareBatchInput, prepareInput, type PrepareInput, type ValidPrepareInput } from './input.ts';
import { templateData } from './template-data.ts';
import { MAIL_LABELS } from './labels.ts';
import { loadTemplates, type TemplateSet } from './templates.ts';

export type { PrepareInput } from './input.ts';

/** A mail ready to hand to any transport: set these as subject, html, text and extra headers. */
export interface PreparedMail {
  to: string;
  send: true;
  subject: string;
  html: string;
  text: string;
  /** List-Unsubscribe (+ -Post), and List-Id and Feedback-ID when configured, for marketing mail; empty for transactional mail. */
  headers: Record<string, string>;
  /** Null for transactional mail. */
  unsubscribeUrl: string | null;
  /** Null for transactional mail (it carries no preferences link). */
  preferencesUrl: string | null;
  locale: Locale;
}

/** A mail that must not go out, and why (see core/may-mail.ts). */
export interface RefusedMail {
  to: string;
  send: false;
  reason: RefusalReason;
  /** The suppression or subscription scope that refused it: a topic id, or '*' for everything. */
  scope: string;
}

export type PrepareResult = PreparedMail | RefusedMail;

export interface MailHook {
  /** Ask, and render when the answer is yes. Throws invalid_input for bad input. */
  prepare(input: PrepareInput): Promise<PrepareResult>;
  /** The same for a whole send (up to MAX_PREPARE_BATCH): one suppression query per topic. */
  prepareBatch(recipients: PrepareInput[]): Promise<PrepareResult[]>;
  /** Names of the templates that loaded. */
  templates(): string[];
  /**
   * A template rendered for a made-up recipient, as prepare would render it, without asking
   * whether it may be sent and without reading or writing the store (the console's preview).
   * The links are signed for `contactId`, which names nobody. Undefined for an unknown template.
   */
  sample(input: MailSample): SampledMail | undefined;
  /** Close the database when the hook opened it (createMailHook without a runtime); otherwise nothing. */
  close(): void;
}

export interface MailSample {
  template: string;
  locale: Locale;
  /** The topic of a marketing mail; null renders it as transactional (no list headers, no links). */
  topic: TopicRow | null;
  data: Record<string, unknown>;
  contactId: string;
}

export interface SampledMail {
  mail: PreparedMail;
  /** The language of the file that rendered (another one when the template lacks this one). */
  locale: Locale;
  /** The file it came from, relative to its templates folder. */
  file: string;
  /** False when the template has no <mj-title>: senders must give the subject. */
  hasSubject: boolean;
}

/**
 * Load and compile the templates and build a mail hook over an open core. Invalid MJML stops the
 * caller here, not at a send. The runtime builds one per process (src/mail/service.ts); library
 * users call createMailHook (src/mail-hook.ts). `compiled`: templates already loaded for this
 * config (tests share one set between the apps of a file).
 */
export async function loadMailHook(deps: { core: CoreDeps; config: Config }, compiled?: TemplateSet): Promise<MailHook> {
  const { core, config } = deps;
  const templates = compiled ?? (await loadTemplates({ overrideDir: config.mail.templatesDir }));
  const brand = {
    name: config.brandName,
    color: config.mail.brandColor,
    logoUrl: config.mail.logoUrl ?? null,
    postalAddress: config.mail.postalAddress || null,
    privacyUrl: config.mail.privacyUrl ?? null,
  };

  async function prepareAll(inputs: ValidPrepareInput[], batch: boolean): Promise<PrepareResult[]> {
    inputs.forEach((input, i) => checkTemplate(templates, input, batch ? `recipients[${i}].template` : 'template'));
    // One decision query per topic (or per transactional group), not per recipient.
    const groups = new Map<string, number[]>();
    for (const [i, input] of inputs.entries()) {
      const key = input.transactional ? '\0transactional' : (input.topic ?? '');
      const group = groups.get(key);
      if (group) group.push(i);
      else groups.set(key, [i]);
    }
    const results: PrepareResult[] = new Array(inputs.length);
    for (const indexes of groups.values()) {
      const first = inputs[indexes[0]!]!;
      const topic = first.topic ? await knownTopic(core, first.topic, batch ? `recipients[${indexes[0]}].topic` : 'topic') : undefined;
      const decisions = await mayMail(core, {
        emails: indexes.map((i) => inputs[i]!.to),
        topic: first.topic,
        transactional: first.transactional,
        field: (j) => (batch ? `recipients[${indexes[j]}].to` : 'to'),
      });
      for (const [j, decision] of decisions.entries()) {
        const input = inputs[indexes[j]!]!;
        results[indexes[j]!] = decision.send ? render(input, decision.recipient, topic, batch ? `recipients[${indexes[j]}].subject` : 'subject') : { to: input.to, send: false, reason: decision.reason, scope: decision.scope };
      }
    }
    return results;
  }

  function render(input: ValidPrepareInput, recipient: MailRecipient | null, topic: TopicRow | undefined, subjectField: string): PreparedMail {
    const locale = recipient?.locale ?? input.locale ?? config.defaultLocale;
    const template = templates.get(input.template, locale, config.defaultLocale)!; // checked before
    let unsubscribeUrl: string | null = null;
    let preferencesUrl: string | null = null;
    let headers: Record<string, string> = {};
    if (recipient && topic && !input.transactional) {
      // The unsub token names contact, topic and campaign (so the ledger can tell which
      // campaign made people leave); linksFor signs it and the preferences token.
      ({ unsubscribeUrl, preferencesUrl } = linksFor(core, { contactId: recipient.contactId, topic: topic.id, campaign: input.campaign }));
      headers = listUnsubscribeHeaders({ unsubscribeUrl, token: unsubscribeUrl.slice(unsubscribeUrl.lastIndexOf('/') + 1), mailto: config.mail.unsubscribeMailto });
      if (config.mail.listIdDomain) Object.assign(headers, listIdHeader({ topicId: topic.id, topicName: topic.nameEn, domain: config.mail.listIdDomain }));
      if (config.mail.feedbackIdSender) Object.assign(headers, feedbackIdHeader({ campaign: input.campaign, topicId: topic.id, senderId: config.mail.feedbackIdSender }));
    }
    // Transactional mail carries no preferences link: it goes to anyone the sender names, even
    // someone who unsubscribed from everything, so its link would hand whoever can ask for
    // such a mail (an API key with messages:prepare) a session for that person.
    // Data first: the names optbox provides cannot be overridden by a sender's data.
    const context = {
      ...input.data,
      brand,
      labels: MAIL_LABELS[locale],
      locale,
      topic: topic && !input.transactional ? { id: topic.id, name: topicName(topic, locale) } : null,
      unsubscribeUrl,
      preferencesUrl,
    };
    const subject = input.subject ?? oneLine(template.subject?.(context) ?? '');
    if (!subject) throw invalidInput(subjectField, `is required: template "${input.template}" has no <mj-title> to take it from`);
    return {
      to: input.to,
      send: true,
      subject,
      html: template.html(context),
      text: tidyText(template.text(context)),
      headers,
      unsubscribeUrl,
      preferencesUrl,
      locale,
    };
  }

  return {
    async prepare(input) {
      const [result] = await prepareAll([parseOrThrow(prepareInput, input)], false);
      return result!;
    },
    async prepareBatch(recipients) {
      return prepareAll(parseOrThrow(prepareBatchInput, recipients, 'recipients'), true);
    },
    templates: () => templates.names(),
    sample(input) {
      const template = templates.get(input.template, input.locale, config.defaultLocale);
      if (!template) return undefined;
      const mail = render(
        {
          to: 'sample@example.invalid',
          template: input.template,
          data: parseOrThrow(templateData, input.data, 'data'),
          topic: input.topic?.id,
          transactional: input.topic === null,
          locale: input.locale,
          subject: template.subject ? undefined : '(no subject in the template: the sender gives one)',
        },
        { contactId: input.contactId, locale: input.locale },
        input.topic ?? undefined,
        'subject',
      );
      return { mail, locale: template.locale, file: template.file, hasSubject: template.subject !== undefined };
    },
    close: () => {},
  };
}

function checkTemplate(templates: TemplateSet, input: ValidPrepareInput, field: string): void {
  if (!templates.get(input.template, 'nl', 'en')) throw invalidInput(field, `unknown template "${input.template}" (known: ${templates.names().join(', ')})`);
}

/**
 * A subject made from a template may hold data (a name); a CR or LF there would start a new
 * header. Every control character becomes a space: the sender did not choose these.
 */
function oneLine(value: string): string {
  return value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/ {2,}/g, ' ').trim().slice(0, 300);
}

/** html-to-text keeps the blank lines of conditional blocks that rendered empty. */
function tidyText(text: string): string {
  return text.replace(/[ \t]{2,}/g, ' ').replace(/[ \t]*\n[ \t]*/g, '\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
