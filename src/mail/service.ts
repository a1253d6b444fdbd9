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
  async function send(template: 'login' | 'confirm' | 'confirm-address' | 'verify-request', to: OwnMailTo, data: Record<string, unknown>, log = deps.logger): Promise<boolean> {
    const mail = await (await hook()).prepare({ to: to.email, template, transactional: true, locale: to.locale, data });
    if (!mail.send) {
      log.warn({ template, reason: mail.reason }, 'mail not sent: the address is suppressed for all mail');
      return false;
    }
    await deps.mailer.send({ to: mail.to, subject: mail.subject, html: mail.html, text: mail.text }, log);
    return true;
  }
  const url = (path: string, token: string) => `${deps.config.publicUrl}${path}/${token}`;
  const minutesValid = deps.config.preferences.loginLinkMinutes;

  return {
    hook,
    sendSignIn: async (to, token, log) => void (await send('login', to, { loginUrl: url('/preferences/signin', token), minutesValid }, log)),
    sendTopicConfirmation: async (to, token, topicName, log) => void (await send('confirm', to, { confirmUrl: url('/preferences/confirm', token), topicName, minutesValid }, log)),
    sendAddressConfirmation: async (to, token, log) => void (await send('confirm-address', to, { confirmUrl: url('/preferences/email/confirm', token), minutesValid }, log)),
    sendRequestVerification: (to, token, kind, days, log) => send('verify-request', to, { verifyUrl: url('/privacy/verify', token), kind, daysValid: days }, log),
  };
}
