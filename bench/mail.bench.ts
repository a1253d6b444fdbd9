import { convert } from 'html-to-text';
import mjml2html from 'mjml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testConfig } from '../src/testing/index.ts';
import { upsertContact } from '../src/core/contacts.ts';
import { linksFor } from '../src/core/links.ts';
import { mayMail } from '../src/core/may-mail.ts';
import { suppress } from '../src/core/suppressions.ts';
import { createLogger } from '../src/logger.ts';
import { builtinTemplatesDir, handlebarsEnvironments } from '../src/mail/templates.ts';
import { openRuntime } from '../src/runtime.ts';
import { fmt, print, rate, type Bench } from './lib.ts';

const CONTACTS = 2000;
const BATCH = 100;
const body = 'This month: three new features, a case study and an invitation.\n\nRead on for the details, and thank you for being with us.';

/**
 * The mail hook's promise: compile once, personalize fast. Both sides do the whole job for one
 * personalized newsletter: the may-mail decision (suppression check + contact + subscription),
 * two signed links, HTML and plain text. The hook does it from templates compiled at start,
 * in batches of 100 as a send would; the naive way fills the MJML source per recipient and runs
 * MJML (and html-to-text) every time. One process, one thread: the rates are per core.
 */
const bench: Bench = {
  name: 'mail hook: personalized newsletters prepared per second, vs MJML per message',
  async run() {
    const runtime = await openRuntime(testConfig({ publicUrl: 'https://optbox.example' }), { logger: createLogger('silent') });
    const emails = Array.from({ length: CONTACTS }, (_, i) => `reader${i}@example.com`);
    for (const email of emails) await upsertContact(runtime.core, { email, topics: ['newsletter'], locale: 'en', source: 'import' });
    // Every tenth reader has left: their mails are asked about and refused, as in a real send.
    for (const email of emails.filter((_, i) => i % 10 === 0)) await suppress(runtime.core, { email, scope: 'newsletter', reason: 'unsubscribe', source: 'import' });
    const recipients = emails.map((to, i) => ({ to, topic: 'newsletter', template: 'newsletter', subject: 'November news', campaign: 'nov-2026', data: { firstName: `Reader ${i}`, body } }));

    const hook = await runtime.mail.hook();
    let next = 0;
    const hookRate = await rate(
      async () => {
        const start = next;
        next = (next + BATCH) % CONTACTS;
        await hook.prepareBatch(recipients.slice(start, start + BATCH));
      },
      { batch: BATCH, ms: 3000 },
    );
    const singleRate = await rate(() => hook.prepare(recipients[(next = (next + 1) % CONTACTS)]!), { ms: 1500 });

    const templatesDir = builtinTemplatesDir();
    const sourcePath = join(templatesDir, 'en', 'newsletter.mjml');
    const source = handlebarsEnvironments().html.compile(readFileSync(sourcePath, 'utf8'));
    const brand = { name: 'optbox', color: '#1f6feb', logoUrl: null, postalAddress: 'Keizersgracht 1, Amsterdam', privacyUrl: null };
    const naiveRate = await rate(
      async () => {
        const r = recipients[(next = (next + 1) % CONTACTS)]!;
        const [decision] = await mayMail(runtime.core, { emails: [r.to], topic: r.topic });
        if (!decision!.send || !decision!.recipient) return;
        const links = linksFor(runtime.core, { contactId: decision!.recipient.contactId, topic: r.topic, campaign: r.campaign });
        const mjml = source({ ...r.data, brand, labels: { unsubscribe: 'Unsubscribe', preferences: 'Manage preferences' }, ...links });
        const { html } = await mjml2html(mjml, { filePath: sourcePath, ...({ ignoreIncludes: false, includePath: [templatesDir] } as object) });
        convert(html, { wordwrap: false });
      },
      { ms: 3000, warmupMs: 500 },
    );

    print(`hook, batches of ${BATCH}:   ${fmt(hookRate)} messages/s per core (10% refused)`);
    print(`hook, one prepare() each: ${fmt(singleRate)} messages/s per core`);
    print(`naive, MJML per message:  ${fmt(naiveRate)} messages/s per core`);
    print(`ratio hook batch / naive: ${(hookRate / naiveRate).toFixed(0)}×   (target ≥ 50×)`);
    runtime.close();
  },
};

export default bench;
