import type { Config } from '../config.ts';
import type { CoreDeps } from '../core/deps.ts';
import type { Locale } from '../i18n/messages.ts';
import type { Logger } from '../logger.ts';
import { loadMailHook, type MailHook } from './hook.ts';
import type { TemplateSet } from './templates.ts';
import type { Mailer } from './transport.ts';

/** Who one of optbox's own mails goes to, in which language. */
export interface OwnMailTo {
  email: string;
  locale: Locale;
}

/** The mail side of a runtime: its one mail hook and the sending of optbox's own mails. */
export interface MailService {
  /**
   * The runtime's mail hook: templates compiled on first use (or at start, see main.ts) and
   * then shared by the HTTP route, the CLI and optbox's own mails. A failed load is not kept:
   * the next call reports it again.
   */
  hook(): Promise<MailHook>;
  /**
   * optbox's own mails, each with a single-use link (src/core/once-links.ts) valid for
   * LOGIN_LINK_MINUTES. They are transactional: they still reach an address that unsubscribed
   * from every topic, but not one that bounced, complained or was erased (the hook refuses
   * those, and nothing is sent). `log`: the logger of the request that sends it, so the lines
   * about the mail carry the request's id; default the service's own.
   */
  sendSignIn(to: OwnMailTo, token: string, log?: Logger): Promise<void>;
  sendTopicConfirmation(to: OwnMailTo, token: string, topicName: string, log?: Logger): Promise<void>;
  sendAddressConfirmation(to: OwnMailTo, token: string, log?: Logger): Promise<void>;
  /**
   * The verification link of a privacy request (token purpose `privacy`, valid `days`), with what
   * was asked in the person's language. False when the address is suppressed for all mail and
   * nothing was sent.
   */
  sendRequestVerification(to: OwnMailTo, token: string, kind: string, days: number, log?: Logger): Promise<boolean>;
}

/** What a link in one of optbox's own mails needs: its page and its single-use token. */
type LinkTo = (path: string) => string;

/**
 * optbox's own mails (transactional, always through the hook) and the data each template gets:
 * one place, used to send them and to preview them in the console.
 */
export const OWN_MAILS = {
  login: { what: 'Sign-in link for the preference center', data: (link: LinkTo, a: { minutesValid: number }) => ({ loginUrl: link('/preferences/signin'), minutesValid: a.minutesValid }) },
  confirm: { what: 'Double opt-in: confirm a topic', data: (link: LinkTo, a: { minutesValid: number; topicName: string }) => ({ confirmUrl: link('/preferences/confirm'), topicName: a.topicName, minutesValid: a.minutesValid }) },
  'confirm-address': { what: 'Confirm a new address', data: (link: LinkTo, a: { minutesValid: number }) => ({ confirmUrl: link('/preferences/email/confirm'), minutesValid: a.minutesValid }) },
  'verify-request': { what: 'Verify a privacy request', data: (link: LinkTo, a: { kind: string; daysValid: number }) => ({ verifyUrl: link('/privacy/verify'), kind: a.kind, daysValid: a.daysValid }) },
} as const;
export type OwnMail = keyof typeof OWN_MAILS;

export interface MailServiceDeps {
  core: CoreDeps;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  /** Where the compiled templates come from; default: compiled from emails/ and TEMPLATES_DIR on first use. */
  templates?: (() => Promise<TemplateSet>) | undefined;
}

export function createMailService(deps: MailServiceDeps): MailService {
  let loading: Promise<MailHook> | undefined;
  function hook(): Promise<MailHook> {
    if (!loading) {
      const started = deps.templates ? deps.templates().then((set) => loadMailHook(deps, set)) : loadMailHook(deps);
      loading = started;
      started.catch(() => {
        if (loading === started) loading = undefined;
      });
    }
    return loading;
  }
  async function send(template: OwnMail, to: OwnMailTo, data: Record<string, unknown>, log = deps.logger): Promise<boolean> {
    const mail = await (await hook()).prepare({ to: to.email, template, transactional: true, locale: to.locale, data });
    if (!mail.send) {
      log.warn({ template, reason: mail.reason }, 'mail not sent: the address is suppressed for all mail');
      return false;
    }
    await deps.mailer.send({ to: mail.to, subject: mail.subject, html: mail.html, text: mail.text }, log);
    return true;
  }
  const url = (token: string) => (path: string) => `${deps.config.publicUrl}${path}/${token}`;
  const minutesValid = deps.config.preferences.loginLinkMinutes;

  return {
    hook,
    sendSignIn: async (to, token, log) => void (await send('login', to, OWN_MAILS.login.data(url(token), { minutesValid }), log)),
    sendTopicConfirmation: async (to, token, topicName, log) => void (await send('confirm', to, OWN_MAILS.confirm.data(url(token), { topicName, minutesValid }), log)),
    sendAddressConfirmation: async (to, token, log) => void (await send('confirm-address', to, OWN_MAILS['confirm-address'].data(url(token), { minutesValid }), log)),
    sendRequestVerification: (to, token, kind, days, log) => send('verify-request', to, OWN_MAILS['verify-request'].data(url(token), { kind, daysValid: days }), log),
  };
}
