import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, firstRunSetupLink } from '../../src/core/operators.ts';
import { suppress } from '../../src/core/suppressions.ts';
import type { TestApp } from '../helpers/app.ts';
import { consoleInBrowser, type ConsoleInBrowser } from '../helpers/console-browser.ts';
import { checkPage, DESKTOP, hasChromium, PHONE, screenshot } from '../helpers/browser.ts';

const DAY = 86_400_000;

/**
 * The operator console in real Chromium over real HTTP, JavaScript off (the console needs
 * none); axe runs in a second pass with JavaScript on (it is a script itself).
 */
describe.skipIf(!hasChromium)('operator console in a browser', () => {
  let c: ConsoleInBrowser;
  let t: TestApp;
  let contactId = '';
  let requestId = '';

  beforeAll(async () => {
    c = await consoleInBrowser();
    t = c.t;
    // Some history for the charts: unsubscribes over a few weeks, from campaigns and pages.
    const campaigns = ['spring-sale', 'black-friday', 'welcome-series', undefined];
    t.clock.advance(-40 * DAY);
    for (let i = 0; i < 60; i++) {
      const topic = ['newsletter', 'marketing', 'updates'][i % 3]!;
      const link = await t.linkFor(`reader${i}@example.com`, topic, { campaign: campaigns[i % 4] });
      if (i % 4 !== 3) await t.app.request(link.path, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      if (i % 10 === 0) await suppress(t.core, { email: `bounced${i}@example.net`, reason: 'bounce', source: 'api' });
      t.clock.advance(Math.round((40 * DAY) / 60));
    }
    const { contact } = await t.linkFor('ann.visser@example.com', 'newsletter', { campaign: 'spring-sale' });
    contactId = contact.id;
  });
  afterAll(() => c?.close());

  it('first run: the setup link creates the admin and lands on the dashboard', async () => {
    const url = await firstRunSetupLink(t.core, { minutes: 60 });
    const { context, page: p } = await c.open();
    await c.completeSetup(p, url!, 'admin@ops.example');
    await expect(p.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Dashboard');
    expect(await p.getByRole('img', { name: /Unsubscribes per day and topic/ }).count()).toBe(1);
    // The link is used up.
    const again = await p.goto(url!);
    expect(again!.status()).toBe(400);
    await context.close();
  });

  it('sign in, search a contact, read the timeline, erase', async () => {
    const { context, page: p } = await c.open();
    await c.signIn(p, 'admin@ops.example');
    await p.getByRole('link', { name: 'Contacts' }).click();
    await p.getByLabel('Address, external id or contact id').fill('  ANN.Visser@example.com ');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.waitForURL(`${c.origin}/admin/contacts/${contactId}`);
    const timeline = p.locator('ol.timeline');
    await expect(timeline.textContent()).resolves.toContain('Subscribed');
    await p.getByLabel(/Erase this contact/).check();
    await p.getByRole('button', { name: 'Erase contact' }).click();
    await expect(p.getByRole('status').textContent()).resolves.toContain('erased');
    await expect(p.locator('ol.timeline').textContent()).resolves.toContain('Erased');
    expect(await t.check('ann.visser@example.com')).toMatchObject({ suppressed: true, reason: 'erasure' });
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.waitForURL(`${c.origin}/admin/login`);
    await context.close();
  });

  it('imports a CSV file with bad rows and shows them by line', async () => {
    const { context, page: p } = await c.open();
    await c.signIn(p, 'admin@ops.example');
    await p.getByRole('link', { name: 'Suppressions' }).click();
    await p.getByRole('link', { name: 'Import a CSV file' }).click();
    const csv = 'email,scope,reason\r\nimported1@example.com,*,bounce\r\nnot an address,*,manual\r\nimported2@example.com,newsletter,unsubscribe\r\nimported3@example.com,*,whatever\r\n';
    await p.getByLabel('CSV file').setInputFiles({ name: 'bounces.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await p.getByRole('button', { name: 'Upload and import' }).click();
    await p.waitForURL(/\/admin\/suppressions\/import\/imp_/);
    // Without script the page reloads itself until the import is done.
    for (let i = 0; i < 50 && !(await p.getByText('Import finished.').count()); i++) await p.waitForTimeout(200);
    await expect(p.getByRole('status').textContent()).resolves.toBe('Import finished.');
    const rows = await p.locator('table tbody tr').allTextContents();
    expect(rows).toEqual(['3emailis not an email address (expected name@domain)', '5reasonmust be one of unsubscribe, bounce, complaint, manual']);
    expect(await t.check('imported2@example.com', 'newsletter')).toMatchObject({ suppressed: true });
    await context.close();
  });

  it('a privacy request from logging to fulfilment: the person verifies in their language, the operator erases and closes', { timeout: 60_000 }, async () => {
    const { contact } = await t.linkFor('carla.jansen@example.com', 'newsletter', { locale: 'nl' });
    const { context, page: p } = await c.open();
    await c.signIn(p, 'admin@ops.example');
    await p.getByRole('link', { name: 'Requests', exact: true }).click();
    await p.getByRole('link', { name: 'Log a request' }).click();
    await p.getByLabel('What the person asks').selectOption('erasure');
    await p.getByLabel('How it arrived').selectOption('mail');
    await p.getByLabel(/The person's address/).fill('Carla.Jansen@example.com');
    await p.getByLabel(/Note/).fill('Mail of 27 November: "please delete me"');
    await p.getByRole('button', { name: 'Log and send the verification link' }).click();
    await p.waitForURL(/\/admin\/requests\/pr_/);
    requestId = /\/admin\/requests\/(pr_[\w-]+)/.exec(p.url())![1]!;
    await expect(p.getByRole('status').textContent()).resolves.toContain('verification link was mailed');
    await expect(p.locator('dl.facts').textContent()).resolves.toContain('Awaiting verification');

    // The person, in their own browser: the link from the mail, a page in Dutch, one button.
    const mail = t.mails.at(-1)!;
    expect(mail.to).toBe('carla.jansen@example.com');
    const link = /http:\/\/127\.0\.0\.1:\d+\/privacy\/verify\/[\w.-]+/.exec(mail.text)![0];
    const person = await c.browser.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'nl' });
    const pp = await person.newPage();
    await pp.goto(link);
    await expect(pp.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Bevestig je verzoek');
    await screenshot(pp, 'privacy-verify-phone');
    await pp.getByRole('button', { name: 'Ja, dit verzoek is van mij' }).click();
    await expect(pp.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Dank je, je verzoek is bevestigd');
    await person.close();

    await p.reload();
    await expect(p.locator('dl.facts').textContent()).resolves.toContain('Verified');
    await p.getByLabel('Yes, erase this contact.').check();
    await p.getByRole('button', { name: 'Fulfil: erase the contact' }).click();
    await expect(p.getByRole('status').textContent()).resolves.toContain('fulfilled');
    expect((await t.core.store.contacts.byId(contact.id))!.status).toBe('erased');
    await p.getByRole('button', { name: 'Close request' }).click();
    await expect(p.getByRole('status').textContent()).resolves.toContain('closed');
    await expect(p.locator('ol.timeline').textContent()).resolves.toContain('Verified by the person');
    await context.close();
  });

  it('every page: no serious accessibility violations, fits a phone, screenshots', { timeout: 120_000 }, async () => {
    const { contact } = await t.linkFor('bert.de.vries@example.com', 'marketing', { campaign: 'black-friday' });
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const { context, page: p } = await c.open(viewport, true);
      const check = (name: string) => checkPage(p, `${name} ${size}`, `console-${name}-${size}`);
      await p.goto(`${c.origin}/admin/login`);
      await check('signin');
      // The page an invited operator (or the first admin) chooses a password on; not submitted.
      await p.goto((await createOperator(t.core, { email: `invited-${size}@ops.example`, role: 'viewer', minutes: 60, actor: null })).setupUrl);
      await check('setup');
      await c.signIn(p, 'admin@ops.example');
      await check('dashboard');
      await p.goto(`${c.origin}/admin/contacts`);
      await check('contacts');
      await p.goto(`${c.origin}/admin/contacts/${contact.id}`);
      await check('contact');
      await p.goto(`${c.origin}/admin/requests`);
      await check('requests');
      await p.goto(`${c.origin}/admin/requests/new`);
      await check('request-new');
      await p.goto(`${c.origin}/admin/requests/${requestId}`);
      await check('request');
      await p.goto(`${c.origin}/admin/sessions`);
      await check('sessions');
      await p.goto(`${c.origin}/admin/ledger`);
      await p.getByRole('button', { name: 'Check the ledger now' }).click();
      await check('ledger');
      await p.goto(`${c.origin}/admin/suppressions`);
      await check('suppressions');
      await p.goto(`${c.origin}/admin/suppressions/import`);
      await check('import');
      await p.getByRole('link', { name: 'bounces.csv' }).first().click();
      await check('import-progress');
      await context.close();
    }
  });
});
