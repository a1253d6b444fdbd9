import { startSmtpSink } from '../helpers/smtp.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTestApp, form, type TestApp } from '../helpers/app.ts';

/**
 * optbox's own mails through the configured transport: a real SMTP server when SMTP_URL is set,
 * .eml files in MAIL_OUTBOX_DIR otherwise; the log names the file, never the link or address.
 */
describe('SMTP_URL', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const inbox = () => sink.inbox;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const port = sink.port;
    t = await makeTestApp({ mail: 'transport', config: { transport: { smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`, outboxDir: '/nonexistent', from: 'Brand <no-reply@brand.example>' } } });
  });
  afterAll(async () => {
    t.close();
    await sink.close();
  });

  it('delivers the sign-in mail over SMTP', async () => {
    await t.linkFor('sam@example.com', 'newsletter');
    const res = await t.app.request('/preferences/login', { ...form({ email: 'sam@example.com' }), headers: { ...form({}).headers, origin: 'https://optbox.test' } });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(inbox()).toHaveLength(1), { timeout: 30_000 }); // templates compile on first use
    expect(inbox()[0]!.to).toEqual(['sam@example.com']);
    const mail = await simpleParser(inbox()[0]!.raw);
    expect(mail.from?.value[0]).toMatchObject({ name: 'Brand', address: 'no-reply@brand.example' });
    expect(mail.text).toMatch(/https:\/\/optbox\.test\/preferences\/signin\/[\w.-]+/);
  });
});

describe('folder transport', () => {
  it('writes one .eml per mail and logs its path, not the address or link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optbox-outbox-'));
    const lines: string[] = [];
    const t = await makeTestApp({ mail: 'transport', config: { logLevel: 'info', transport: { smtpUrl: undefined, outboxDir: dir, from: 'optbox <no-reply@localhost>' } } });
    // The runtime's logger is silent in tests; build a mailer with a recording logger instead.
    const { createMailer } = await import('../../src/mail/transport.ts');
    const pino = (await import('pino')).default;
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    const mailer = createMailer(t.config, logger);
    await mailer.send({ to: 'tia@example.com', subject: 'Sign in', html: '<p>x</p>', text: 'https://optbox.test/preferences/signin/SECRET' });
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const raw = readFileSync(join(dir, files[0]!), 'utf8');
    expect(raw).toContain('To: tia@example.com');
    expect(raw).toContain('preferences/signin/SECRET');
    expect(lines.join('')).toContain(files[0]);
    expect(lines.join('')).not.toMatch(/tia@|SECRET/);
    t.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
