import type { Locale } from '../i18n/messages.ts';

/**
 * The words of the shared footer, per language. Templates reach them as `{{labels.*}}`, so one
 * footer partial serves both languages and an operator's own templates can reuse them.
 */
export const MAIL_LABELS: Record<Locale, { unsubscribe: string; preferences: string; privacy: string; receivedBecause: string }> = {
  nl: {
    unsubscribe: 'Uitschrijven',
    preferences: 'Voorkeuren',
    privacy: 'Privacyverklaring',
    receivedBecause: 'Je ontvangt deze e-mail omdat je bent aangemeld voor',
  },
  en: {
    unsubscribe: 'Unsubscribe',
    preferences: 'Manage preferences',
    privacy: 'Privacy statement',
    receivedBecause: 'You receive this email because you are subscribed to',
  },
};
