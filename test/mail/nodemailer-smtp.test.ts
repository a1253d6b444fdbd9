import { generateKeyPairSync } from 'node:crypto';
import { authenticate } from 'mailauth';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/core/contacts.ts';
import { MailRefusedError, OptboxMessageError, optboxMailer, optboxPlugin } from '../../src/mail/nodemailer.ts';
import { startSmtpSink } from '../helpers/smtp.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

/**
 * The whole path a Node sender takes, over real parts: Nodemailer with the optbox plugin and
 * DKIM signing → a real SMTP server → mailparser; the links then go to a real optbox server.
 */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dkim = { domainName: 'example.com', keySelector: 'mail2026', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
const dnsRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

/** Stub DNS for mailauth: only our selector's key exists. */
async function resolver(name: string, rrtype: string): Promise<string[][]> {
  if (rrtype === 'TXT' && name === 'mail2026._domainkey.example.com') return [[dnsRecord]];
  throw Object.assign(new Error(`no ${rrtype} for ${name}`), { code: 'ENOTFOUND' });
}

let t: TestApp;
let origin: string;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let transporter: Transporter;

beforeEach(async () => {
  t = await makeTestApp();
  ({ origin } = await t.listen());
  sink = await startSmtpSink();
  const port = sink.port;
  transporter = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, dkim });
});
afterEach(async () => {
  transporter.close();
  await sink.close();
  t.close();
});

const newsletter = (to: string, extra: Record<string, unknown> = {}) => ({
  from: 'Example News <news@example.com>',
  to,
  subject: 'November news',
  optbox: { topic: 'newsletter', template: 'newsletter', campaign: 'nov-2026', data: { firstName: 'Ann', body: 'Our news.' } },
  ...extra,
});

/** The server-relative path of an optbox link, on the running test server. */
const onServer = (url: string) => {
  expect(url.startsWith('https://optbox.test/')).toBe(true);
  return origin + new URL(url).pathname;
};
const header = (mail: ParsedMail, name: string) => mail.headerLines.find((h) => h.key === name.toLowerCase())?.line.replace(/\r?\n[ \t]+/g, ' ');

describe('Nodemailer + optbox plugin over SMTP', () => {
  it('delivers a rendered mail whose headers and footer links work, and refuses the next send after one-click', async () => {
    const { contact } = await upsertContact(t.core, { email: 'ann@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
    const mailer = optboxMailer(transporter, await t.mailHook());

    const first = await mailer.send(newsletter('Ann <ann@example.com>'));
    expect(first.sent).toBe(true);
    expect(sink.inbox).toHaveLength(1);
    const mail = await simpleParser(sink.inbox[0]!.raw);

    // Headers: RFC 2369 List-Unsubscribe with the https URI, RFC 8058 List-Unsubscribe-Post.
    expect(mail.subject).toBe('November news');
    const listUnsubscribe = header(mail, 'List-Unsubscribe')!;
    const headerUrl = /<(https:\/\/optbox\.test\/u\/[^>]+)>/.exec(listUnsubscribe)![1]!;
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    // HTML and text parts carry the same personal links.
    const html = mail.html as string;
    expect(html).toContain('Hi Ann,');
    expect(html).toContain(`href="${headerUrl}"`);
    const prefsUrl = /href="(https:\/\/optbox\.test\/p\/[^"]+)"/.exec(html)![1]!;
    expect(mail.text).toContain(headerUrl);
    expect(mail.text).toContain(prefsUrl);

    // The footer links open the right pages on the running server, and GET changes nothing.
    const confirm = await fetch(onServer(headerUrl), { headers: { 'accept-language': 'en' } });
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('Unsubscribe from Newsletter?');
    const prefs = await fetch(onServer(prefsUrl), { headers: { 'accept-language': 'en' } });
    expect(prefs.status).toBe(200);
    expect(await t.check('ann@example.com', 'newsletter')).toMatchObject({ suppressed: false });

    // What Gmail does with the header URL (RFC 8058 §3.2): POST the one-click body.
    const oneClick = await fetch(onServer(headerUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', redirect: 'manual' });
    expect(oneClick.status).toBe(200);
    expect(await t.check('ann@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    const events = await t.core.store.ledger.forContact(contact.id);
    expect(events.at(-1)).toMatchObject({ action: 'unsubscribe', source: 'one-click', campaign: 'nov-2026' });

    // The next send is refused and nothing reaches the SMTP server.
    expect(await mailer.send(newsletter('ann@example.com'))).toEqual({ sent: false, reason: 'unsubscribed', scope: 'newsletter' });
    await expect(transporter.sendMail(newsletter('ann@example.com'))).rejects.toBeInstanceOf(MailRefusedError);
    expect(sink.inbox).toHaveLength(1);
  });

  it('signs both List-Unsubscribe headers with DKIM, verified by mailauth', async () => {
    await upsertContact(t.core, { email: 'bob@example.com', topics: ['newsletter'], locale: 'nl', source: 'api' });
    transporter.use('compile', optboxPlugin(await t.mailHook()));
    await transporter.sendMail(newsletter('bob@example.com'));
    const raw = sink.inbox[0]!.raw;

    const signature = header(await simpleParser(raw), 'DKIM-Signature')!;
    const signed = /\bh=([^;]+)/.exec(signature)![1]!.replace(/\s+/g, '').toLowerCase().split(':');
    expect(signed).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'from', 'subject']));

    const result = await authenticate(raw, { resolver: resolver as never, ip: '127.0.0.1', helo: 'localhost', sender: 'news@example.com', mta: 'mx.example.net' });
    const dkimResult = result.dkim.results[0]!;
    expect(dkimResult.status.result).toBe('pass');
    expect(dkimResult.signingDomain).toBe('example.com');
  });

  it('List-Id (RFC 2919) and Feedback-ID, when configured, are set per topic and campaign and covered by DKIM', async () => {
    t.config.mail.listIdDomain = 'lists.example.com';
    t.config.mail.feedbackIdSender = 'optbox-test';
    await upsertContact(t.core, { email: 'fid@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
    transporter.use('compile', optboxPlugin(await t.mailHook()));
    await transporter.sendMail(newsletter('fid@example.com'));
    const mail = await simpleParser(sink.inbox[0]!.raw);
    // Header names are case-insensitive (RFC 5322 §1.2.2); Nodemailer writes List-ID.
    expect(header(mail, 'List-Id')).toMatch(/^list-id: "Newsletter" <newsletter\.lists\.example\.com>$/i);
    expect(header(mail, 'Feedback-ID')).toMatch(/^feedback-id: nov-2026:newsletter:optbox-test$/i);
    const signed = /\bh=([^;]+)/.exec(header(mail, 'DKIM-Signature')!)![1]!.replace(/\s+/g, '').toLowerCase().split(':');
    expect(signed).toEqual(expect.arrayContaining(['list-id', 'feedback-id', 'list-unsubscribe', 'list-unsubscribe-post']));
    const result = await authenticate(sink.inbox[0]!.raw, { resolver: resolver as never, ip: '127.0.0.1', helo: 'localhost', sender: 'news@example.com', mta: 'mx.example.net' });
    expect(result.dkim.results[0]!.status.result).toBe('pass');
    // Changing the Feedback-ID after signing breaks the signature: the header is really covered.
    const tampered = Buffer.from(sink.inbox[0]!.raw.toString('latin1').replace('nov-2026:newsletter', 'other:newsletter'), 'latin1');
    expect((await authenticate(tampered, { resolver: resolver as never, ip: '127.0.0.1', helo: 'localhost', sender: 'news@example.com', mta: 'mx.example.net' })).dkim.results[0]!.status.result).not.toBe('pass');
  });

  it('without LIST_ID_DOMAIN and FEEDBACK_ID_SENDER neither header is set', async () => {
    await upsertContact(t.core, { email: 'plain@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
    transporter.use('compile', optboxPlugin(await t.mailHook()));
    await transporter.sendMail(newsletter('plain@example.com'));
    const mail = await simpleParser(sink.inbox[0]!.raw);
    expect(header(mail, 'List-Id')).toBeUndefined();
    expect(header(mail, 'Feedback-ID')).toBeUndefined();
  });

  it('extends a message DKIM headerFieldNames with both list headers, and refuses a transport list without them', async () => {
    await upsertContact(t.core, { email: 'dkim@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
    const hook = await t.mailHook();
    transporter.use('compile', optboxPlugin(hook));
    await transporter.sendMail({ ...newsletter('dkim@example.com'), dkim: { ...dkim, headerFieldNames: 'From:To:Subject' } });
    const signature = header(await simpleParser(sink.inbox[0]!.raw), 'DKIM-Signature')!;
    expect(/\bh=([^;]+)/.exec(signature)![1]!.replace(/\s+/g, '').toLowerCase().split(':')).toEqual(['from', 'to', 'subject', 'list-unsubscribe', 'list-unsubscribe-post']);
    expect((await authenticate(sink.inbox[0]!.raw, { resolver: resolver as never, ip: '127.0.0.1', helo: 'localhost', sender: 'news@example.com', mta: 'mx.example.net' })).dkim.results[0]!.status.result).toBe('pass');

    const narrow = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, dkim: { ...dkim, headerFieldNames: 'From:To:Subject' } });
    narrow.use('compile', optboxPlugin(hook));
    await expect(narrow.sendMail(newsletter('dkim@example.com'))).rejects.toThrow(/headerFieldNames leave out List-Unsubscribe/);
    narrow.close();
    expect(sink.inbox).toHaveLength(1);
  });

  it('a tampered List-Unsubscribe header fails DKIM (the test can fail)', async () => {
    await upsertContact(t.core, { email: 'cas@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
    transporter.use('compile', optboxPlugin(await t.mailHook()));
    await transporter.sendMail(newsletter('cas@example.com'));
    const tampered = Buffer.from(sink.inbox[0]!.raw.toString('latin1').replace('https://optbox.test/u/', 'https://evil.test/u/'), 'latin1');
    const result = await authenticate(tampered, { resolver: resolver as never, ip: '127.0.0.1', helo: 'localhost', sender: 'news@example.com', mta: 'mx.example.net' });
    expect(result.dkim.results[0]!.status.result).not.toBe('pass');
  });

  it('sends transactional mail without List-Unsubscribe headers, even after unsubscribe-all', async () => {
    const { contact } = await upsertContact(t.core, { email: 'dee@example.com', topics: [], locale: 'en', source: 'api' });
    await fetch(onServer(`https://optbox.test/u/${t.core.tokens.sign('unsub', { contactId: contact.id, topic: '*' })}`), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    const mailer = optboxMailer(transporter, await t.mailHook());
    const r = await mailer.send({ from: 'news@example.com', to: 'dee@example.com', optbox: { template: 'login', transactional: true, data: { loginUrl: 'https://optbox.test/l/x', minutesValid: 30 } } });
    expect(r.sent).toBe(true);
    const mail = await simpleParser(sink.inbox[0]!.raw);
    expect(mail.subject).toBe('Your sign-in link for optbox');
    expect(header(mail, 'List-Unsubscribe')).toBeUndefined();
    expect(header(mail, 'List-Unsubscribe-Post')).toBeUndefined();
  });

  it('hostile data comes out escaped; a CRLF subject is refused before anything is sent', async () => {
    await upsertContact(t.core, { email: 'eve@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
    const mailer = optboxMailer(transporter, await t.mailHook());
    await mailer.send({ ...newsletter('eve@example.com'), optbox: { topic: 'newsletter', template: 'newsletter', data: { firstName: '<a href="https://evil.test">click</a>', body: 'x' } } });
    const mail = await simpleParser(sink.inbox[0]!.raw);
    expect(mail.html).not.toContain('href="https://evil.test"');
    expect(mail.html).toContain('&lt;a href&#x3D;&quot;https://evil.test&quot;&gt;click&lt;/a&gt;');

    await expect(mailer.send(newsletter('eve@example.com', { subject: 'Hi\r\nBcc: victim@example.com' }))).rejects.toMatchObject({ code: 'invalid_input', fields: [{ field: 'subject' }] });
    expect(sink.inbox).toHaveLength(1);
  });

  it('refuses a message with more than one recipient: the links are personal', async () => {
    const mailer = optboxMailer(transporter, await t.mailHook());
    await expect(mailer.send(newsletter('a@example.com, b@example.com'))).rejects.toBeInstanceOf(OptboxMessageError);
    await expect(mailer.send(newsletter('a@example.com', { bcc: 'spy@example.com' }))).rejects.toBeInstanceOf(OptboxMessageError);
    expect(sink.inbox).toHaveLength(0);
  });

  it('leaves messages without optbox options alone', async () => {
    transporter.use('compile', optboxPlugin(await t.mailHook()));
    await transporter.sendMail({ from: 'ops@example.com', to: 'ops@example.com', subject: 'plain', text: 'hello' });
    const mail = await simpleParser(sink.inbox[0]!.raw);
    expect(mail.text?.trim()).toBe('hello');
    expect(header(mail, 'List-Unsubscribe')).toBeUndefined();
  });
});
