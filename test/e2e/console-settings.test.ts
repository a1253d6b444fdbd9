import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstRunSetupLink } from '../../src/core/operators.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DESKTOP, freePort, hasChromium, launchBrowser, PHONE, screenshot, seriousAxeViolations, serveTestApp } from '../helpers/browser.ts';

const PASSWORD = 'a long and memorable passphrase';

/**
 * The topic, operator and template settings in real Chromium over real HTTP, JavaScript off
 * (the console needs none); axe runs in a last pass with JavaScript on (it is a script itself).
 */
describe.skipIf(!hasChromium)('console settings in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveTestApp>>;

  beforeAll(async () => {
    const port = await freePort();
    t = await makeTestApp({ config: { publicUrl: `http://127.0.0.1:${port}` } });
    server = await serveTestApp(t, port);
    browser = await launchBrowser();
    const url = await firstRunSetupLink(t.core, { minutes: 60 });
    const { context, page: p } = await open();
    await p.goto(url!);
    await p.getByLabel('Your email address').fill('admin@ops.example');
    await p.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await p.getByLabel('Password again').fill(PASSWORD);
    await p.getByRole('button', { name: 'Save and sign in' }).click();
    await p.waitForURL(`${server.origin}/admin`);
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  async function open(viewport = DESKTOP, javaScriptEnabled = false) {
    const context = await browser.newContext({ javaScriptEnabled, viewport, locale: 'en' });
    return { context, page: await context.newPage() };
  }

  async function signIn(p: Page, email = 'admin@ops.example') {
    await p.goto(`${server.origin}/admin/login`);
    await p.getByLabel('Email address').fill(email);
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(`${server.origin}/admin`);
  }

  const h1 = (p: Page) => p.getByRole('heading', { level: 1 }).textContent();
  const status = (p: Page) => p.getByRole('status').first().textContent();

  it('adds a topic, edits it, retires it, and it is gone from a real preference page', async () => {
    const { context, page: p } = await open();
    await signIn(p);
    await p.getByRole('link', { name: 'Settings' }).click();
    await p.getByRole('link', { name: 'Topics' }).click();
    await expect(h1(p)).resolves.toBe('Topics');
    await p.getByLabel(/^Id/).fill('product-news');
    await p.getByLabel('Name (Dutch)').fill('Productnieuws');
    await p.getByLabel('Name (English)').fill('Product news');
    await p.getByLabel('Description (English)').fill('New features, once a month');
    await p.getByRole('button', { name: 'Add topic' }).click();
    await expect(status(p)).resolves.toBe('Topic added.');

    await p.getByLabel('Name (English)').fill('Launch news');
    await p.getByLabel(/^Double opt-in/).check();
    await p.getByRole('button', { name: 'Save' }).click();
    await expect(status(p)).resolves.toBe('Topic saved.');
    await expect(h1(p)).resolves.toContain('Launch news');

    // A subscriber sees it in the preference center.
    const { prefsPath } = await t.linkFor('ria@example.com', 'product-news');
    const person = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'en' });
    const pp = await person.newPage();
    await pp.goto(`${server.origin}${prefsPath}`);
    await expect(pp.locator('main').textContent()).resolves.toContain('Launch news');

    await p.getByRole('button', { name: 'Retire this topic' }).click();
    await expect(status(p)).resolves.toMatch(/^Topic retired/);
    await expect(p.getByRole('button', { name: 'Reinstate this topic' }).count()).resolves.toBe(1);
    await p.goto(`${server.origin}/admin/settings/topics`);
    await expect(p.getByRole('row', { name: /Launch news/ }).textContent()).resolves.toContain('retired');

    await pp.reload();
    await expect(pp.locator('main').textContent()).resolves.not.toContain('Launch news');
    await screenshot(pp, 'settings-retired-topic-preferences-phone');
    await person.close();
    await context.close();
  });

  it('invites an operator, who completes setup through the link shown once', async () => {
    const { context, page: p } = await open();
    await signIn(p);
    await p.goto(`${server.origin}/admin/settings/operators`);
    await p.getByLabel('Address').fill('olga@ops.example');
    await p.getByLabel('Role', { exact: true }).selectOption('privacy');
    await p.getByRole('button', { name: 'Invite' }).click();
    await expect(status(p)).resolves.toBe('olga@ops.example is invited as privacy.');
    const url = (await p.locator('#setup-url').textContent())!;
    expect(url).toMatch(new RegExp(`^${server.origin}/admin/setup/`));
    // Not in the address bar, and gone on the next visit.
    expect(p.url()).toBe(`${server.origin}/admin/settings/operators`);
    await p.goto(`${server.origin}/admin/settings/operators`);
    await expect(p.locator('main').textContent()).resolves.not.toContain(url);

    const invited = await browser.newContext({ javaScriptEnabled: false, viewport: DESKTOP, locale: 'en' });
    const ip = await invited.newPage();
    await ip.goto(url);
    await ip.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await ip.getByLabel('Password again').fill(PASSWORD);
    await ip.getByRole('button', { name: 'Save and sign in' }).click();
    await ip.waitForURL(`${server.origin}/admin`);
    await expect(ip.locator('.whoami').textContent()).resolves.toContain('olga@ops.example');
    // A privacy officer does not manage operators.
    expect((await ip.goto(`${server.origin}/admin/settings/operators`))!.status()).toBe(403);

    // The admin disables her: her open session ends at once.
    await p.reload();
    await p.getByRole('button', { name: 'Disable olga@ops.example' }).click();
    await expect(status(p)).resolves.toBe('Operator disabled: their sessions have ended.');
    await ip.goto(`${server.origin}/admin`);
    expect(ip.url()).toBe(`${server.origin}/admin/login`);
    await invited.close();
    await context.close();
  });

  it('previews a template: subject, list headers, text, and the HTML in a sandboxed frame', async () => {
    const { context, page: p } = await open();
    const refused: string[] = [];
    p.on('console', (m) => {
      // The mail's own web-font stylesheet is blocked on purpose (only inline styles); framing must not be.
      if (/frame-ancestors|Refused to (display|frame)/i.test(m.text())) refused.push(m.text());
    });
    await signIn(p);
    await p.goto(`${server.origin}/admin/settings/templates`);
    await p.getByRole('row', { name: /newsletter/ }).getByRole('link', { name: 'English' }).click();
    await expect(h1(p)).resolves.toBe('newsletter in English');
    await expect(p.locator('pre').first().textContent()).resolves.toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const frame = p.frameLocator('iframe[title="HTML part of newsletter in English"]');
    await expect(frame.locator('body').textContent()).resolves.toContain('Hi Sam,');
    await p.getByRole('link', { name: 'Show in Dutch' }).click();
    await expect(p.frameLocator('iframe').locator('body').textContent()).resolves.toContain('Hallo Sam,');
    expect(refused).toEqual([]);
    await context.close();
  });

  it('every settings page: no serious accessibility violations, fits a phone, screenshots', { timeout: 120_000 }, async () => {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const { context, page: p } = await open(viewport, true);
      const check = async (name: string) => {
        await p.waitForLoadState();
        expect(await seriousAxeViolations(p), `${name} ${size}`).toEqual([]);
        const wide = await p.evaluate("[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.tagName + '.' + e.className).slice(0, 5).join(' ')");
        expect(await p.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), `${name} ${size}: ${wide}`).toBe(true);
        await screenshot(p, `console-${name}-${size}`);
      };
      await signIn(p);
      await p.goto(`${server.origin}/admin/settings`);
      await check('settings');
      await p.goto(`${server.origin}/admin/settings/topics`);
      await check('settings-topics');
      await p.goto(`${server.origin}/admin/settings/topics/newsletter`);
      await check('settings-topic');
      await p.goto(`${server.origin}/admin/settings/operators`);
      await check('settings-operators');
      await p.goto(`${server.origin}/admin/settings/templates`);
      await check('settings-templates');
      await p.goto(`${server.origin}/admin/settings/templates/newsletter/nl`);
      await check('settings-template-preview');
      await p.goto(`${server.origin}/admin/settings/templates/verify-request/en`);
      await check('settings-template-own-mail');
      await context.close();
    }
  });
});
