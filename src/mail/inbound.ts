import type { AddressInfo } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import type { Config } from '../config.ts';
import type { CoreDeps } from '../core/deps.ts';
import { unsubscribeByMail } from '../core/mailto.ts';
import type { Logger } from '../logger.ts';

export interface InboundDeps {
  core: CoreDeps;
  config: Config;
  logger: Logger;
  metrics?: { inboundMail(result: 'unsubscribed' | 'ignored'): void } | undefined;
}

/**
 * Take in one unsubscribe mail (raw RFC 5322), as the SMTP listener or POST /hooks/inbound
 * received it: parsed with mailparser, then core decides (core/mailto.ts). Never throws for
 * what a sender can put in a mail; the caller answers the same whatever the outcome.
 */
export async function takeInUnsubscribeMail(deps: InboundDeps, raw: Buffer): Promise<'unsubscribed' | 'ignored'> {
  let result: 'unsubscribed' | 'ignored' = 'ignored';
  try {
    // Loaded on first use (about 13 MB resident): most servers never take in a mail.
    const { simpleParser } = await import('mailparser');
    const mail = await simpleParser(raw, { skipHtmlToText: true, skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
    result = await unsubscribeByMail(deps.core, { subject: mail.subject ?? '', text: typeof mail.text === 'string' ? mail.text : '' });
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'unsubscribe mail not processed');
  }
  deps.metrics?.inboundMail(result);
  deps.logger.info({ result }, 'unsubscribe mail');
  return result;
}

export interface InboundSmtp {
  /** The port it listens on (useful with INBOUND_SMTP_PORT=0). */
  port: number;
  close(): Promise<void>;
}

/**
 * The built-in SMTP listener for mailto unsubscribes (off unless INBOUND_SMTP_PORT is set).
 * It accepts mail for UNSUBSCRIBE_MAILTO only (any other RCPT is refused: no relay), no AUTH,
 * no larger than INBOUND_MAX_BYTES (announced with SIZE, RFC 1870), and answers 250 to every
 * mail it takes, whatever it held.
 */
export async function startInboundSmtp(deps: InboundDeps): Promise<InboundSmtp> {
  const mailto = deps.config.mail.unsubscribeMailto?.toLowerCase();
  const port = deps.config.inbound.smtpPort;
  if (!mailto || port === undefined) throw new Error('the SMTP listener needs UNSUBSCRIBE_MAILTO and INBOUND_SMTP_PORT');
  const maxBytes = deps.config.inbound.maxBytes;
  const { SMTPServer: Server } = await import('smtp-server');
  const smtp: SMTPServer = new Server({
    banner: 'optbox unsubscribe',
    size: maxBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    maxClients: 100,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase() === mailto) return callback();
      callback(Object.assign(new Error('5.7.1 relaying denied: this server takes unsubscribe mail only'), { responseCode: 550 }));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || size > maxBytes) {
          return callback(Object.assign(new Error('5.3.4 message too big'), { responseCode: 552 }));
        }
        takeInUnsubscribeMail(deps, Buffer.concat(chunks)).then(
          () => callback(),
          () => callback(),
        );
      });
    },
  });
  smtp.on('error', (err) => deps.logger.warn({ err: err.message }, 'inbound SMTP'));
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(port, deps.config.inbound.smtpHost, () => resolve());
  });
  const bound = (smtp.server.address() as AddressInfo).port;
  deps.logger.info({ port: bound, host: deps.config.inbound.smtpHost }, 'inbound SMTP listening');
  return { port: bound, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}
