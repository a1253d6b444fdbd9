import { Writable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

/**
 * The real log output, captured, on the error paths: a recipient the SMTP server refuses, an
 * SMTP server that is not there, and near-miss paths that carry a token. No address, token or
 * key may appear in it, whatever shape the path or the error has.
 */
const ORIGIN = 'https://optbox.test';
const lines: string[] = [];
const logs = () => lines.join('');
const logger = createLogger('debug', { destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }) });

/** An SMTP server that refuses one recipient, quoting the address as real servers do. */
async function refusingSmtp(refused: string) {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === refused) {
        const err = new Error(`<${address.address}>: Recipient address rejected: User unknown`) as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, done) {
      stream.resume();
      stream.on('end', () => done());
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return { port: (smtp.server.address() as AddressInfo).port, close: () => new Promise<void>((r) => smtp.close(() => r())) };
}

function post(t: TestApp, path: string, cookie: string | null, fields: Record<string, string>) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en', origin: ORIGIN };
  if (cookie) headers.cookie = cookie;
  return t.app.request(path, { method: 'POST', headers, body: new URLSearchParams(fields).toString() });
}

async function footerSession(t: TestApp, email: string) {
  const link = await t.linkFor(email, 'newsletter');
  const cookie = (await t.app.request(link.prefsPath)).headers.get('set-cookie')!.split(';')[0]!;
  const html = await (await t.app.request('/preferences', { headers: { cookie } })).text();
  return { link, cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]! };
}

describe('SMTP refuses the recipient', () => {
  let smtp: Awaited<ReturnType<typeof refusingSmtp>>;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await refusingSmtp('rita.refused@example.com');
    t = await makeTestApp({ mail: 'transport', logger, config: { transport: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, outboxDir: '/nonexistent', from: 'optbox <no-reply@optbox.test>' } } });
    await t.mailHook(); // compile the templates now (slow on a busy machine), not inside the first test
  }, 60_000);
  afterAll(async () => {
    t.close();
    await smtp.close();
  });

  it('step-up answers 503, and the log names neither the address nor its local part', async () => {
    const { cookie, csrf } = await footerSession(t, 'rita.refused@example.com');
    lines.length = 0;
    const res = await post(t, '/preferences/verify', cookie, { _csrf: csrf });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('We could not send the email just now');
    expect(logs()).toContain('mail not sent');
    expect(logs()).toContain('"responseCode":550');
    expect(logs()).not.toMatch(/rita|refused@|example\.com/i);
  });

  it('sign-in (mail sent after the answer): the failure is logged without the address', async () => {
    lines.length = 0;
    const res = await post(t, '/preferences/login', null, { email: 'rita.refused@example.com' });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(logs()).toContain('mail not sent'), { timeout: 30_000 });
    expect(logs()).not.toMatch(/rita|example\.com/i);
  });
});

describe('SMTP server unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ mail: 'transport', logger, config: { transport: { smtpUrl: 'smtp://127.0.0.1:1', outboxDir: '/nonexistent', from: 'optbox <no-reply@optbox.test>' } } });
    await t.mailHook();
  }, 60_000);
  afterAll(() => t.close());

  it('step-up is a 503 page, not a 500, and the log has no address', async () => {
    const { cookie, csrf } = await footerSession(t, 'sam.unreachable@example.com');
    lines.length = 0;
    const res = await post(t, '/preferences/verify', cookie, { _csrf: csrf });
    expect(res.status).toBe(503);
    expect(logs()).toContain('ECONNREFUSED');
    expect(logs()).not.toContain('unhandled error');
    expect(logs()).not.toMatch(/sam|example\.com/i);
  });
});

describe('paths that carry a token or an address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ logger });
  });
  afterAll(() => t.close());

  it('near misses of the link routes log no token', async () => {
    const link = await t.linkFor('tom.path@example.com', 'newsletter');
    const unsub = link.path.slice('/u/'.length);
    const prefs = link.prefsPath.slice('/p/'.length);
    lines.length = 0;
    for (const path of [`/U/${unsub}`, `/u//${unsub}`, `/P/${prefs}`, `/preferences/Signin/${prefs}`, `/preferences/signin/${prefs}/extra`, `/x/${unsub}?y=1`, `/api/v1/Suppressions/tom.path%40example.com`, `/u/${unsub}`]) {
      await t.app.request(path);
    }
    const out = logs();
    expect(out.match(/"msg":"request"/g)).toHaveLength(8);
    for (const token of [unsub, prefs]) {
      for (const part of token.split('.')) expect(out).not.toContain(part);
    }
    expect(out).not.toMatch(/tom\.path/);
  });

  it('strings handed to the logger are redacted by shape: addresses, tokens, keys, errors', async () => {
    const link = await t.linkFor('una.shape@example.com', 'newsletter');
    const token = link.path.slice('/u/'.length);
    lines.length = 0;
    const err = Object.assign(new Error(`cannot deliver to una.shape@example.com via ${link.unsubscribeUrl}`), { rejected: ['una.shape@example.com'], response: '550 <una.shape@example.com>' });
    logger.error({ err, note: `key ${t.apiKey}`, nested: { list: [`una.shape@example.com`] } }, `failed for una.shape@example.com ${token}`);
    const out = logs();
    expect(out).not.toContain('una.shape');
    expect(out).not.toContain(t.apiKey.slice(4));
    for (const part of token.split('.')) expect(out).not.toContain(part);
    expect(out).toContain('cannot deliver to :email');
  });
});
