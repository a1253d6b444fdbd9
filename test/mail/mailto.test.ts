import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { upsertContact } from '../../src/core/contacts.ts';
import { startInboundSmtp, type InboundSmtp } from '../../src/mail/inbound.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

/**
 * mailto: unsubscribes (RFC 2369) end to end: the mail hook's List-Unsubscribe mailto, sent with
 * Nodemailer over real SMTP to optbox's built-in listener, and the same mail POSTed raw.
 */
const MAILTO = 'unsubscribe@optbox.test';
const TOKEN = 'inbound-token-0123456789-abcdefghijklmnop';
let t: TestApp;
let smtp: InboundSmtp;

beforeAll(async () => {
  t = await makeTestApp();
  t.config.mail.unsubscribeMailto = MAILTO;
  t.config.inbound.smtpPort = 0;
  t.config.inbound.smtpHost = '127.0.0.1';
  t.config.inbound.maxBytes = 16 * 1024;
  t.config.inbound.token = TOKEN;
  smtp = await startInboundSmtp(t.deps);
});
afterAll(async () => {
  await smtp.close();
  t.close();
});

/** The mailto: URI of a real prepared mail, split into address and subject as a mail client does. */
async function mailtoFor(email: string, topic: string) {
  await upsertContact(t.core, { email, topics: [topic], locale: 'en', source: 'api' });
  const mail = await (await t.mailHook()).prepare({ to: email, topic, template: 'newsletter', subject: 'News', data: { firstName: 'A', body: 'B' } });
  if (!mail.send) throw new Error('not sent');
  const uri = /<(mailto:[^>]+)>/.exec(mail.headers['List-Unsubscribe']!)![1]!;
  const url = new URL(uri);
  return { to: url.pathname, subject: url.searchParams.get('subject')! };
}

const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
const ledgerSources = async () => (await t.core.store.ops.ledgerCountsSince(0)).counts.filter((r) => r.action === "unsubscribe").map((r) => r.source);

describe('mailto unsubscribe', () => {
  it('a mail to the mailto address over SMTP unsubscribes with source mailto', async () => {
    const { to, subject } = await mailtoFor('ann@example.com', 'newsletter');
    expect(to).toBe(MAILTO);
    const sender = transport();
    const info = await sender.sendMail({ from: 'ann@example.com', to, subject, text: 'sent from my phone' });
    sender.close();
    expect(info.accepted).toEqual([MAILTO]);
    expect(await t.check('ann@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    expect(await t.check('ann@example.com', 'marketing')).toMatchObject({ suppressed: false });
    expect(await ledgerSources()).toEqual(['mailto']);
  });

  it('a mail without a valid token is accepted the same and changes nothing', async () => {
    await upsertContact(t.core, { email: 'bob@example.com', topics: ['newsletter'], source: 'api' });
    const before = (await t.core.store.ops.ledgerLength());
    const sender = transport();
    const forged = 'unsubscribe eyJhbGciOiJIUzI1NiIsImtpZCI6Inh4In0.eyJwIjoidSIsInMiOiJib2IiLCJ0IjoiKiJ9.c2lnbmF0dXJlLXRoYXQtaXMtbm90LXJlYWw';
    expect((await sender.sendMail({ from: 'bob@example.com', to: MAILTO, subject: forged, text: '' })).accepted).toEqual([MAILTO]);
    expect((await sender.sendMail({ from: 'bob@example.com', to: MAILTO, subject: 'please remove me', text: 'bob@example.com' })).accepted).toEqual([MAILTO]);
    sender.close();
    expect((await t.core.store.ops.ledgerLength())).toBe(before);
    expect((await t.check('bob@example.com', 'newsletter')).suppressed).toBe(false);
  });

  it('refuses to relay: a RCPT to any other address is rejected', async () => {
    const sender = transport();
    await expect(sender.sendMail({ from: 'x@example.com', to: 'someone@example.com', subject: 'hi', text: 'relay me' })).rejects.toMatchObject({ responseCode: 550 });
    sender.close();
  });

  it('refuses a mail larger than INBOUND_MAX_BYTES', async () => {
    const { subject } = await mailtoFor('big@example.com', 'newsletter');
    const sender = transport();
    await expect(sender.sendMail({ from: 'big@example.com', to: MAILTO, subject, text: 'x'.repeat(40 * 1024) })).rejects.toMatchObject({ responseCode: 552 });
    sender.close();
    expect((await t.check('big@example.com', 'newsletter')).suppressed).toBe(false);
  });

  it('POST /hooks/inbound takes the raw message with the bearer token; answers the same for junk; refuses without it', async () => {
    const { subject } = await mailtoFor('cy@example.com', 'updates');
    const raw = `From: cy@example.com\r\nTo: ${MAILTO}\r\nSubject: ${subject}\r\nMessage-ID: <1@example.com>\r\n\r\nunsubscribe\r\n`;
    const app = createApp(t.deps);
    const post = (body: string, authorization?: string) => app.request('/hooks/inbound', { method: 'POST', headers: { 'content-type': 'message/rfc822', ...(authorization ? { authorization } : {}) }, body });
    expect((await post(raw)).status).toBe(401);
    expect((await post(raw, 'Bearer wrong-token-wrong-token-wrong-token')).status).toBe(403);
    expect((await t.check('cy@example.com', 'updates')).suppressed).toBe(false);
    const junk = await post('Subject: hello\r\n\r\nnothing here\r\n', `Bearer ${TOKEN}`);
    const good = await post(raw, `Bearer ${TOKEN}`);
    expect([junk.status, good.status]).toEqual([202, 202]);
    expect(await json(junk)).toEqual(await json(good));
    expect(await t.check('cy@example.com', 'updates')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    expect((await post('x'.repeat(20 * 1024), `Bearer ${TOKEN}`)).status).toBe(413);
  });
});
