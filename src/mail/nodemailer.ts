import type { PluginFunction, SendMailOptions, SentMessageInfo, Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { RefusalReason } from '../core/may-mail.ts';
import type { MailHook, PrepareInput } from './hook.ts';

/** What a message carries for optbox to render it: everything of prepare() but `to` and `subject`. */
export type OptboxMailOptions = Omit<PrepareInput, 'to' | 'subject'>;

/** A Nodemailer message with optbox options. */
export type OptboxMessage = SendMailOptions & { optbox: OptboxMailOptions };

/**
 * optbox said no: the recipient is suppressed, unsubscribed, erased, paused or unknown.
 * sendMail rejects with it and nothing is sent; `reason` and `scope` say why.
 */
export class MailRefusedError extends Error {
  readonly code = 'EOPTBOX_REFUSED';
  constructor(
    readonly reason: RefusalReason,
    readonly scope: string,
  ) {
    super(`optbox refused the mail: ${reason} (scope ${scope})`);
    this.name = 'MailRefusedError';
  }
}

/** A message optbox cannot render as asked (two recipients, html given as well, …). */
export class OptboxMessageError extends Error {
  readonly code = 'EOPTBOX_MESSAGE';
  constructor(message: string) {
    super(message);
    this.name = 'OptboxMessageError';
  }
}

const LIST_HEADERS = ['List-Unsubscribe', 'List-Unsubscribe-Post'];
/** Headers of ours that a DKIM signature must cover when present (Gmail ignores an unsigned Feedback-ID). */
const SIGNED_HEADERS = [...LIST_HEADERS, 'List-Id', 'Feedback-ID'];
/** Nodemailer's own default list (dkim/sign.js), which has no Feedback-ID. */
const NODEMAILER_DKIM_FIELDS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:Content-ID:Content-Description:Resent-Date:Resent-From:Resent-Sender:Resent-To:Resent-Cc:Resent-Message-ID:In-Reply-To:References:List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive:OTP-Token';

type DkimOptions = NonNullable<Exclude<SendMailOptions['dkim'], undefined>>;

/**
 * Nodemailer compile plugin: `transporter.use('compile', optboxPlugin(hook))`.
 *
 * A message with an `optbox` field ({topic, template, data, campaign?, transactional?}) is asked
 * about and rendered by the hook before Nodemailer builds the MIME tree: subject (unless the
 * message has one), html, text and the List-Unsubscribe headers are set on it. Messages without
 * `optbox` pass untouched.
 *
 * A refused recipient is an error, not a silent skip: sendMail rejects with MailRefusedError
 * (code EOPTBOX_REFUSED) and nothing goes on the wire. `optboxMailer()` turns that into a
 * `{sent: false, reason}` result for senders that would rather branch than catch.
 *
 * The links are personal, so a message has exactly one recipient in `to`, none in cc or bcc,
 * and no separate envelope. DKIM (RFC 8058 §4): Nodemailer's signer covers List-Unsubscribe and
 * List-Unsubscribe-Post by default; a custom `headerFieldNames` on the message is extended with
 * them, and one on the transport that leaves them out makes the send fail rather than go out
 * with a one-click header that mailbox providers would ignore.
 */
export function optboxPlugin(hook: MailHook): PluginFunction {
  return (mail, callback) => {
    const data = mail.data as SendMailOptions & { optbox?: OptboxMailOptions };
    if (data.optbox === undefined) return callback();
    apply(hook, data, mail.mailer.dkim ? (mail.mailer.dkim.options as DkimOptions) : undefined).then(
      () => callback(),
      (err: unknown) => callback(err as Error as never),
    );
  };
}

async function apply(hook: MailHook, data: SendMailOptions & { optbox?: OptboxMailOptions }, transportDkim: DkimOptions | undefined): Promise<void> {
  const transportFieldNames = transportDkim?.headerFieldNames;
  const options = data.optbox!;
  const to = addressesOf(data.to);
  if (to.length !== 1) throw new OptboxMessageError(`an optbox message has exactly one recipient in "to" (it has ${to.length}): its links are personal`);
  if (addressesOf(data.cc).length || addressesOf(data.bcc).length) throw new OptboxMessageError('an optbox message has no cc or bcc: its links are personal');
  if (data.envelope) throw new OptboxMessageError('an optbox message takes its envelope from "to"');
  if (data.html !== undefined || data.text !== undefined) throw new OptboxMessageError('an optbox message is rendered from its template: leave html and text out');
  if (data.subject !== undefined && typeof data.subject !== 'string') throw new OptboxMessageError('subject must be a string');

  const prepared = await hook.prepare({ ...options, to: to[0]!, ...(data.subject !== undefined ? { subject: data.subject } : {}) });
  if (!prepared.send) throw new MailRefusedError(prepared.reason, prepared.scope);

  const listHeaders = Object.keys(prepared.headers).length > 0;
  if (listHeaders && transportFieldNames && !covers(transportFieldNames)) {
    throw new OptboxMessageError('the transport DKIM headerFieldNames leave out List-Unsubscribe or List-Unsubscribe-Post; RFC 8058 one-click needs both signed');
  }
  // Every header of ours the signature must cover is added to the names it signs: to the
  // message's own DKIM options, or to a per-message copy of the transport's.
  const mustSign = SIGNED_HEADERS.filter((h) => h in prepared.headers);
  const dkim = (data.dkim as DkimOptions | undefined) ?? transportDkim;
  if (mustSign.length && dkim && !('keys' in dkim && dkim.keys)) {
    const names = dkim.headerFieldNames ?? NODEMAILER_DKIM_FIELDS;
    const missing = mustSign.filter((h) => !names.toLowerCase().split(':').map((n) => n.trim()).includes(h.toLowerCase()));
    if (missing.length) data.dkim = { ...dkim, headerFieldNames: [names, ...missing].join(':') };
  }

  data.subject = prepared.subject;
  data.html = prepared.html;
  data.text = prepared.text;
  data.headers = withHeaders(data.headers, prepared.headers);
  delete data.optbox;
}

/** Our headers beside the caller's; a caller's own List-Unsubscribe would contradict ours. */
function withHeaders(existing: SendMailOptions['headers'], ours: Record<string, string>): SendMailOptions['headers'] {
  const entries: Array<{ key: string; value: string | { prepared: boolean; foldLines: boolean; value: string } }> = [];
  const names = new Set<string>();
  if (Array.isArray(existing)) {
    for (const h of existing) {
      names.add(h.key.toLowerCase());
      entries.push(h as never);
    }
  } else if (existing && typeof existing === 'object') {
    for (const [key, value] of Object.entries(existing)) {
      names.add(key.toLowerCase());
      entries.push({ key, value: value as never });
    }
  }
  for (const [key, value] of Object.entries(ours)) {
    if (names.has(key.toLowerCase())) throw new OptboxMessageError(`leave the ${key} header to optbox`);
    // Prepared (emitted as built, folded at the comma between URIs): the value is already
    // checked ASCII without CR/LF, and MIME-encoding a URI would break it for mail clients.
    entries.push({ key, value: { prepared: true, foldLines: true, value } });
  }
  return entries as never;
}

function covers(fieldNames: string): boolean {
  const names = fieldNames.toLowerCase().split(':').map((s) => s.trim());
  return LIST_HEADERS.every((h) => names.includes(h.toLowerCase()));
}

function addressesOf(value: SendMailOptions['to']): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      for (const parsed of addressparser(item, { flatten: true })) if ('address' in parsed && parsed.address) out.push(parsed.address);
    } else if (item && typeof item === 'object' && 'address' in item && item.address) out.push(item.address);
  }
  return out;
}

export type OptboxSendResult = { sent: true; info: SentMessageInfo } | { sent: false; reason: RefusalReason; scope: string };

/**
 * A transporter with the plugin installed, whose send() answers a refusal as a result instead of
 * an error. Install once per transporter.
 *
 *   const mailer = optboxMailer(nodemailer.createTransport(SMTP_URL), hook);
 *   const r = await mailer.send({ from, to, subject, optbox: { topic: 'newsletter', template: 'newsletter', data } });
 *   if (!r.sent) console.log('skipped:', r.reason);
 */
export function optboxMailer(transporter: Transporter, hook: MailHook) {
  transporter.use('compile', optboxPlugin(hook));
  return {
    transporter,
    async send(message: OptboxMessage): Promise<OptboxSendResult> {
      try {
        return { sent: true, info: await transporter.sendMail(message) };
      } catch (err) {
        if (err instanceof MailRefusedError) return { sent: false, reason: err.reason, scope: err.scope };
        throw err;
      }
    },
  };
}
