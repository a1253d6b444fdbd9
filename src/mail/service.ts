import type { Config } from '../config.ts';
import type { CoreDeps } from '../core/deps.ts';
import type { Locale } from '../i18n/messages.ts';
import type { Logger } from '../logger.ts';
import { loadMailHook, type MailHook } from './hook.ts';
import type { Mailer } from './transport.ts';

/** One of optbox's own mails (sign-in link, topic or address confirmation), before rendering. */
export interface OwnMail {
  template: 'login' | 'confirm' | 'confirm-address';
  to: string;
  locale: Locale;
  data: Record<string, unknown>;
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
   * Render and send one of optbox's own mails. They are transactional: they still reach an
   * address that unsubscribed from every topic, but not one that bounced, complained or was
   * erased (the hook refuses those, and nothing is sent).
   */
  send(mail: OwnMail): Promise<void>;
}

export function createMailService(deps: { core: CoreDeps; config: Config; logger: Logger; mailer: Mailer }): MailService {
  let loading: Promise<MailHook> | undefined;
  function hook(): Promise<MailHook> {
    if (!loading) {
      const started = loadMailHook(deps);
      loading = started;
      started.catch(() => {
        if (loading === started) loading = undefined;
      });
    }
    return loading;
  }
  return {
    hook,
    async send({ template, to, locale, data }) {
      const mail = await (await hook()).prepare({ to, template, transactional: true, locale, data });
      if (!mail.send) {
        deps.logger.warn({ template, reason: mail.reason }, 'mail not sent: the address is suppressed for all mail');
        return;
      }
      await deps.mailer.send({ to: mail.to, subject: mail.subject, html: mail.html, text: mail.text });
    },
  };
}
