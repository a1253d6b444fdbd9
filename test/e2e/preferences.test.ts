import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { checkPage, DESKTOP, freePort, hasChromium, launchBrowser, mailCount, nextMail, PHONE, serveTestApp } from '../helpers/browser.ts';

/**
 * The preference center in real Chromium, JavaScript off (as mail apps' in-app browsers may run
 * it), over real HTTP, with optbox's own mails written by the folder transport and read back
 * from there. axe runs with JavaScript on (it is a script itself).
 */
describe.skipIf(!hasChromium)('preference center in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveTestApp>>;
  let outbox: string;

  beforeAll(async () => {
    outbox = mkdtempSync(join(tmpdir(), 'optbox-outbox-'));
    const port = await freePort();
    t = await makeTestApp({
      mail: 'transport',
      config: { publicUrl: `http://127.0.0.1:${port}`, transport: { smtpUrl: undefined, outboxDir: outbox, from: 'optbox <no-reply@localhost>' } },
    });
    server = await serveTestApp(t, port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  async function open(locale: 'nl' | 'en', viewport = DESKTOP, javaScriptEnabled = false) {
    const context = await browser.newContext({ javaScriptEnabled, locale, viewport, acceptDownloads: true });
    return { context, page: await context.newPage() };
  }

  const switchOf = (p: Page, name: string) => p.getByRole('switch', { name: new RegExp(`^${name}`) });

  /** Sign in through /preferences/login and the mail folder; leaves the page on /preferences. */
  async function signIn(p: Page, email: string, lang: 'nl' | 'en') {
    await p.goto(`${server.origin}/preferences/login?lang=${lang}`);
    const before = mailCount(outbox);
    await p.getByLabel(lang === 'nl' ? 'E-mailadres' : 'Email address').fill(email);
    await p.getByRole('button', { name: lang === 'nl' ? 'Stuur me een inloglink' : 'Send me a sign-in link' }).click();
    const mail = await nextMail(outbox, before);
    expect(mail.to).toBe(email);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/preferences\/signin\/[\w.-]+)/.exec(mail.text)![1]!;
    await p.goto(url);
    await p.getByRole('button', { name: lang === 'nl' ? 'Inloggen' : 'Sign in' }).click();
    await p.waitForURL(`${server.origin}/preferences`);
  }

  // The save mails a confirmation (the first mail compiles the templates): time for a busy machine.
  it("opens a mail's preferences link, toggles topics, saves, reloads and sees them kept", { timeout: 60_000 }, async () => {
    const link = await t.linkFor('pia@example.com', 'newsletter');
    const { context, page: p } = await open('en');
    await p.goto(link.preferencesUrl);
    // The token left the address bar.
    expect(p.url()).toBe(`${server.origin}/preferences`);
    await expect(p.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your email preferences');
    expect(await switchOf(p, 'Newsletter').isChecked()).toBe(true);
    expect(await switchOf(p, 'Offers').isChecked()).toBe(false);

    // By keyboard: focus a switch, Space toggles it.
    await switchOf(p, 'Newsletter').focus();
    await p.keyboard.press('Space');
    await switchOf(p, 'Offers').check();
    // The form carries a real Origin (not "null"), so the Origin check does not depend on the
    // browser also sending Sec-Fetch-Site (older Safari and in-app web views do not).
    const posted = p.waitForRequest((r) => r.method() === 'POST');
    await p.getByRole('button', { name: 'Save my choices' }).click();
    expect(await (await posted).headerValue('origin')).toBe(server.origin);
    // Turning a topic on from a footer link waits for the link mailed to the address.
    await expect(p.getByRole('status').textContent()).resolves.toContain('We sent a confirmation link to your address.');

    await p.reload();
    expect(await switchOf(p, 'Newsletter').isChecked()).toBe(false);
    expect(await switchOf(p, 'Offers').isChecked()).toBe(true);
    await expect(p.locator('#topic-marketing-about').textContent()).resolves.toContain('waiting for your confirmation');
    expect(await t.check('pia@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    const events = await t.core.store.ledger.forContact(link.contact.id);
    expect(events.slice(1).every((e) => e.source === 'preference-center')).toBe(true);

    // Pause and unsubscribe from everything are forms too.
    await p.getByRole('button', { name: 'Pause for 30 days' }).click();
    await expect(p.locator('#pause-title + p').textContent()).resolves.toContain('All emails are paused until');
    await p.getByRole('button', { name: 'Unsubscribe from everything' }).click();
    expect(await t.check('pia@example.com', 'updates')).toMatchObject({ suppressed: true });
    await context.close();
  });

  it('magic-link sign-in through the mail folder, data download and erasure', async () => {
    const link = await t.linkFor('rex@example.com', 'newsletter', { locale: 'nl' });
    const { context, page: p } = await open('nl');
    await signIn(p, 'rex@example.com', 'nl');
    await expect(p.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Je e-mailvoorkeuren');

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Mijn gegevens downloaden (JSON)' }).click()]);
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(data.contact).toMatchObject({ id: link.contact.id, email: 'rex@example.com' });
    expect(data.consentEvents.map((e: { action: string }) => e.action)).toEqual(['subscribe', 'export']);

    await p.getByRole('link', { name: 'Toestemmingsgeschiedenis' }).click();
    await expect(p.locator('ol.history').textContent()).resolves.toContain('Je hebt je gegevens gedownload');
    await p.getByRole('link', { name: 'Terug naar je voorkeuren' }).click();

    await p.getByRole('link', { name: 'Mijn gegevens wissen' }).click();
    await expect(p.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Je gegevens wissen?');
    expect((await t.core.store.contacts.byId(link.contact.id))!.status).toBe('active');
    await p.getByRole('button', { name: 'Ja, wis mijn gegevens' }).click();
    await expect(p.getByRole('status').textContent()).resolves.toContain('gehashte');
    expect(await t.core.store.contacts.byId(link.contact.id)).toMatchObject({ status: 'erased', email: null });
    expect(await t.check('rex@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'erasure' });
    await p.goto(`${server.origin}/preferences`);
    expect(p.url()).toBe(`${server.origin}/preferences/login`);
    await context.close();
  });

  it('every page: no serious accessibility violations, fits a phone, screenshots in nl and en', { timeout: 120_000 }, async () => {
    for (const locale of ['nl', 'en'] as const) {
      for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
        const email = `shot-${locale}-${size}@example.com`;
        const link = await t.linkFor(email, 'newsletter', { locale });
        const { context, page: p } = await open(locale, viewport, true);
        const check = (name: string) => checkPage(p, `${name} ${locale} ${size}`, `${name}-${locale}-${size}`);
        await p.goto(link.preferencesUrl);
        await check('preferences');
        await p.getByRole('button', { name: locale === 'nl' ? 'Stuur me een inloglink' : 'Email me a sign-in link' }).click();
        await check('preferences-stepup-sent');
        await p.goto(`${server.origin}/preferences`);
        await p.getByRole('button', { name: locale === 'nl' ? 'Uitloggen' : 'Sign out' }).click();
        await check('preferences-signed-out');
        await p.goto(`${server.origin}/preferences/login?lang=${locale}`);
        await check('preferences-login');
        const before = mailCount(outbox);
        await p.getByLabel(locale === 'nl' ? 'E-mailadres' : 'Email address').fill(email);
        await p.getByRole('button', { name: locale === 'nl' ? 'Stuur me een inloglink' : 'Send me a sign-in link' }).click();
        await check('preferences-login-sent');
        const mail = await nextMail(outbox, before);
        await p.goto(/(http:\/\/\S+\/preferences\/signin\/[\w.-]+)/.exec(mail.text)![1]!);
        await check('preferences-signin');
        await p.getByRole('button', { name: locale === 'nl' ? 'Inloggen' : 'Sign in' }).click();
        await p.waitForURL(`${server.origin}/preferences`);
        await check('preferences-signed-in');
        await p.goto(`${server.origin}/preferences/history`);
        await check('preferences-history');
        await p.goto(`${server.origin}/preferences/erase`);
        await check('preferences-erase-confirm');
        await p.locator('button[name="confirm"]').click();
        await check('preferences-erased');
        await context.close();
      }
    }
  });
});
