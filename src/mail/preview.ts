import type { Config } from '../config.ts';
import { VERIFY_LINK_DAYS } from '../core/privacy-requests.ts';
import { isRetired } from '../core/topics.ts';
import type { TopicRow } from '../db/store.ts';
import { translator, type Locale } from '../i18n/messages.ts';
import { topicName } from '../i18n/topics.ts';
import type { MailHook, SampledMail } from './hook.ts';
import { OWN_MAILS, type OwnMail } from './service.ts';

export const PREVIEW_LOCALES: readonly Locale[] = ['nl', 'en'];

/**
 * The recipient of every preview. It names nobody: no contact has this id, nothing about it is
 * stored, and the unsubscribe and preference links signed for it lead to "link not valid".
 */
export const SAMPLE_CONTACT_ID = 'sample-preview-contact';
/** Stands in for the single-use token of optbox's own mails: a preview must not mint a working one. */
const SAMPLE_TOKEN = 'sample-link-preview-only';

const MARKETING_SAMPLE: Record<Locale, Record<string, string>> = {
  nl: { firstName: 'Sam', preview: 'Een voorbeeld van de voorvertoning in de inbox', body: 'Dit is voorbeeldtekst voor de voorvertoning.\n\nEen tweede alinea, met <b>opmaak</b> die als tekst verschijnt.' },
  en: { firstName: 'Sam', preview: 'A sample inbox preview line', body: 'This is sample text for the preview.\n\nA second paragraph, with <b>markup</b> that shows as text.' },
};

export interface TemplateEntry {
  name: string;
  /** One of optbox's own mails (transactional), or a marketing template for the mail hook. */
  own: boolean;
  what: string;
}

/** Every template that loaded (built-in and TEMPLATES_DIR), optbox's own mails first. */
export function templateCatalogue(hook: MailHook): TemplateEntry[] {
  const names = hook.templates();
  const own = (Object.keys(OWN_MAILS) as OwnMail[]).filter((n) => names.includes(n)).map((name) => ({ name, own: true, what: OWN_MAILS[name].what }));
  const rest = names.filter((n) => !(n in OWN_MAILS)).map((name) => ({ name, own: false, what: 'Marketing mail through the mail hook, for a topic' }));
  return [...own, ...rest];
}

/**
 * One template in one language with sample data, for the console. Not `prepare`: that asks the
 * store whether the address may be mailed and needs a stored contact to sign links for, so a
 * preview through it would have to create one (and a GET must never change state). The template
 * layer renders it for a made-up contact instead (hook.sample); nothing is read from or written
 * to the store here. Undefined for an unknown template.
 */
export function previewTemplate(input: { hook: MailHook; config: Config; topics: TopicRow[] }, name: string, locale: Locale): (SampledMail & { entry: TemplateEntry; topic: TopicRow | null }) | undefined {
  const entry = templateCatalogue(input.hook).find((t) => t.name === name);
  if (!entry) return undefined;
  const topic = entry.own ? null : (input.topics.find((t) => !isRetired(t)) ?? sampleTopic());
  const link = (path: string) => `${input.config.publicUrl}${path}/${SAMPLE_TOKEN}`;
  const data = entry.own ? ownMailSample(entry.name as OwnMail, link, locale, input) : MARKETING_SAMPLE[locale];
  const sampled = input.hook.sample({ template: name, locale, topic, data, contactId: SAMPLE_CONTACT_ID });
  return sampled && { ...sampled, entry, topic };
}

function ownMailSample(name: OwnMail, link: (path: string) => string, locale: Locale, input: { config: Config; topics: TopicRow[] }): Record<string, unknown> {
  const minutesValid = input.config.preferences.loginLinkMinutes;
  switch (name) {
    case 'login':
      return OWN_MAILS.login.data(link, { minutesValid });
    case 'confirm':
      return OWN_MAILS.confirm.data(link, { minutesValid, topicName: topicName(input.topics.find((t) => !isRetired(t)) ?? sampleTopic(), locale) });
    case 'confirm-address':
      return OWN_MAILS['confirm-address'].data(link, { minutesValid });
    case 'verify-request':
      return OWN_MAILS['verify-request'].data(link, { kind: translator(locale)('privacy.kind.access'), daysValid: VERIFY_LINK_DAYS });
  }
}

/** A topic for the preview when there is none in use. */
const sampleTopic = (): TopicRow => ({ id: 'sample', nameNl: 'Voorbeeld', nameEn: 'Sample', descriptionNl: '', descriptionEn: '', defaultStatus: 'opt-in', doubleOptIn: false, position: 0, createdAt: 0, retiredAt: null });
