/**
 * Send a newsletter through Nodemailer with the optbox plugin to a local SMTP sink, and keep
 * what arrived so you can open it and click its links against the running server.
 *
 *   npm start                                   # terminal 1: the optbox server
 *   npm run example:newsletter -- ann@example.com   # terminal 2
 *
 * Options: --topic newsletter  --locale nl|en  --smtp smtp://127.0.0.1:1025 (an SMTP sink of
 * your own, e.g. Mailpit; without it a sink is started in this process and each mail is written
 * to data/outbox/). It uses the same environment as the server (DATABASE_PATH, PUBLIC_URL, …).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createMailHook, loadConfig, optboxMailer, upsertContact } from '../src/index.ts';
import { openRuntime } from '../src/runtime.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { topic: { type: 'string', default: 'newsletter' }, locale: { type: 'string', default: 'en' }, smtp: { type: 'string' } },
});
const to = positionals[0] ?? 'ann@example.com';
const locale = values.locale === 'nl' ? 'nl' : 'en';
const config = loadConfig();
const outbox = resolve('data', 'outbox');

// 1. A contact subscribed to the topic (the contacts API or an import does this for real).
const runtime = await openRuntime(config);
await upsertContact(runtime.core, { email: to, topics: [values.topic], locale, source: 'cli' });

// 2. An SMTP sink: yours (--smtp), or one in this process that keeps each mail in data/outbox/.
let sink: SMTPServer | undefined;
let smtpUrl = values.smtp;
if (!smtpUrl) {
  mkdirSync(outbox, { recursive: true });
  sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const mail = await simpleParser(raw);
        const base = join(outbox, new Date().toISOString().replace(/[:.]/g, '-'));
        writeFileSync(`${base}.eml`, raw);
        writeFileSync(`${base}.html`, String(mail.html || ''));
        console.log(`\nreceived by the sink:\n  ${base}.eml   (the whole message)\n  ${base}.html  (open it in a browser and click the footer links)`);
        console.log(`\n${mail.headerLines.filter((h) => h.key.startsWith('list-')).map((h) => h.line.replace(/\r?\n\s+/g, ' ')).join('\n')}`);
        done();
      });
    },
  });
  await new Promise<void>((ok) => sink!.listen(0, '127.0.0.1', ok));
  smtpUrl = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
}

// 3. Nodemailer with the optbox plugin: the message names a template and a topic, optbox does the rest.
const hook = await createMailHook({ runtime });
const transporter = nodemailer.createTransport(smtpUrl, { ignoreTLS: true } as never);
const mailer = optboxMailer(transporter, hook);
const result = await mailer.send({
  from: `${config.brandName} <news@example.com>`,
  to,
  subject: locale === 'nl' ? 'Nieuws van deze maand' : 'News of the month',
  optbox: {
    topic: values.topic,
    template: 'newsletter',
    campaign: 'example',
    data: { firstName: to.split('@')[0], body: 'This is what a newsletter sent through optbox looks like.\n\nClick "Unsubscribe" at the bottom: the server shows a confirm page (a GET never unsubscribes). Mail clients POST to the List-Unsubscribe header instead, and that unsubscribes at once.' },
  },
});
if (result.sent) console.log(`\nsent to ${to} through ${smtpUrl}`);
else console.log(`\nnot sent to ${to}: ${result.reason} (scope ${result.scope}). Run "npm run optbox -- unsuppress ${to} --scope ${values.topic}" to send again.`);

transporter.close();
runtime.close();
if (sink) await new Promise<void>((ok) => sink!.close(() => ok()));
