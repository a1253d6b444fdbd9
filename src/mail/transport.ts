import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import { OptboxError } from '../core/errors.ts';
import type { Logger } from '../logger.ts';

/** One mail optbox sends itself (sign-in links, confirmations): already rendered. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface Mailer {
  /** `log`: where to log what happened (a request's logger, so the line carries its id); default the mailer's own. */
  send(mail: OutgoingMail, log?: Logger): Promise<void>;
}

/**
 * A mail that could not go out (server unreachable, recipient refused): logged by what went
 * wrong, never by whom (nodemailer's error holds the recipients, the envelope and the server's
 * reply quoting the address), and answered as a temporary failure, not a 500.
 */
function mailNotSent(logger: Logger, err: unknown): OptboxError {
  const e = (err ?? {}) as { code?: unknown; originalCode?: unknown; responseCode?: unknown; command?: unknown };
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  logger.warn({ transport: 'smtp', code: text(e.code), originalCode: text(e.originalCode), responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined, command: typeof e.command === 'string' ? e.command.split(' ')[0] : undefined }, 'mail not sent');
  return new OptboxError('unavailable', 'the mail could not be sent just now; please try again in a few minutes');
}

/**
 * The transport for optbox's own mails: SMTP when SMTP_URL is set, otherwise one .eml file per
 * mail in MAIL_OUTBOX_DIR, so a newcomer can follow a sign-in without a mail server. The log
 * names the file, never the address or the link (the link is a credential).
 */
export function createMailer(config: Config, logger: Logger): Mailer {
  const from = config.transport.from;
  if (config.transport.smtpUrl) {
    const smtp = nodemailer.createTransport(config.transport.smtpUrl);
    return {
      async send(mail, log = logger) {
        let info;
        try {
          info = await smtp.sendMail({ from, ...mail });
        } catch (err) {
          throw mailNotSent(log, err);
        }
        log.info({ messageId: info.messageId, transport: 'smtp' }, 'mail sent');
      },
    };
  }
  const dir = resolve(config.transport.outboxDir);
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let seq = 0;
  return {
    async send(mail, log = logger) {
      const info = await stream.sendMail({ from, ...mail });
      mkdirSync(dir, { recursive: true });
      // Sortable by time of writing; random so two processes never collide.
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(seq++).padStart(4, '0')}-${randomBytes(4).toString('hex')}.eml`;
      const path = join(dir, name);
      writeFileSync(path, info.message as Buffer, { mode: 0o600 });
      log.info({ path, transport: 'folder' }, 'mail written to the outbox folder');
    },
  };
}
