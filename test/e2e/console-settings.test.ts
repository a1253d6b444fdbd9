import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstRunSetupLink } from '../../src/core/operators.ts';
import type { TestApp } from '../helpers/app.ts';
import { consoleInBrowser, type ConsoleInBrowser } from '../helpers/console-browser.ts';
import { checkPage, DESKTOP, hasChromium, PHONE, screenshot } from '../helpers/browser.ts';

/**
 * The topic, operator and template settings in real Chromium over real HTTP, JavaScript off
 * (the console needs none); axe runs in a last pass with JavaScript on (it is a script itself).
 */
describe.skipIf(!hasChromium)('console settings in a browser', () => {
  let c: ConsoleInBrowser;
  let t: TestApp;

  beforeAll(async () => {
    c = await consoleInBrowser();
    t = c.t;
    const { context, page: p } = await c.open();
    await c.completeSetup(p, (await firstRunSetupLink(t.core, { minutes: 60 }))!, 'admin@ops.example');
    await context.close();
  });
  afterAll(() => c?.close());

  const h1 = (p: Page) => p.getByRole('heading', { level: 1 }).textContent();
  const status = (p: Page) => p.getByRole('status').first().textContent();

  it('adds a topic, edits it, retires it, and it is gone from a real preference page', async () => {
    const { context, page: p } = await c.open();
    await c.signIn(p);
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
    const person = await c.browser.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'en' });
    const pp = await person.newPage();
    await pp.goto(`${c.origin}${prefsPath}`);
    await expect(pp.locator('main').textContent()).resolves.toContain('Launch news');

    await p.getByRole('button', { name: 'Retire this topic' }).click();
    await expect(status(p)).resolves.toMatch(/^Topic retired/);
    await expect(p.getByRole('button', { name: 'Reinstate this topic' }).count()).resolves.toBe(1);
    await p.goto(`${c.origin}/admin/settings/topics`);
    await expect(p.getByRole('row', { name: /Launch news/ }).textContent()).resolves.toContain('retired');

    await pp.reload();
    await expect(pp.locator('main').textContent()).resolves.not.toContain('Launch news');
    await screenshot(pp, 'settings-retired-topic-preferences-phone');
    await person.close();
    await context.close();
  });

  it('invites an operator, who completes setup through the link shown once', async () => {
    const { context, page: p } = await c.open();
    await c.signIn(p);
    await p.goto(`${c.origin}/admin/settings/operators`);
    await p.getByLabel('Address').fill('olga@ops.example');
    await p.getByLabel('Role', { exact: true }).selectOption('privacy');
    await p.getByRole('button', { name: 'Invite' }).click();
    await expect(status(p)).resolves.toBe('olga@ops.example is invited as privacy.');
    const url = (await p.locator('#setup-url').textContent())!;
    expect(url).toMatch(new RegExp(`^${c.origin}/admin/setup/`));
    // Not in the address bar, and gone on the next visit.
    expect(p.url()).toBe(`${c.origin}/admin/settings/operators`);
    await p.goto(`${c.origin}/admin/settings/operators`);
    await expect(p.locator('main').textContent()).resolves.not.toContain(url);

    const { context: invited, page: ip } = await c.open();
    await c.completeSetup(ip, url);
    await expect(ip.locator('.whoami').textContent()).resolves.toContain('olga@ops.example');
    // A privacy officer does not manage operators.
    expect((await ip.goto(`${c.origin}/admin/settings/operators`))!.status()).toBe(403);

    // The admin disables her: her open session ends at once.
    await p.reload();
    await p.getByRole('button', { name: 'Disable olga@ops.example' }).click();
    await expect(status(p)).resolves.toBe('Operator disabled: their sessions have ended.');
    await ip.goto(`${c.origin}/admin`);
    expect(ip.url()).toBe(`${c.origin}/admin/login`);
    await invited.close();
    await context.close();
  });

  it('previews a template: subject, list headers, text, and the HTML in a sandboxed frame', async () => {
    const { context, page: p } = await c.open();
    const refused: string[] = [];
    p.on('console', (m) => {
      // The mail's own web-font stylesheet is blocked on purpose (only inline styles); framing must not be.
      if (/frame-ancestors|Refused to (display|frame)/i.test(m.text())) refused.push(m.text());
    });
    await c.signIn(p);
    await p.goto(`${c.origin}/admin/settings/templates`);
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
      const { context, page: p } = await c.open(viewport, true);
      const check = (name: string) => checkPage(p, `${name} ${size}`, `console-${name}-${size}`);
      await c.signIn(p);
      await p.goto(`${c.origin}/admin/settings`);
      await check('settings');
      await p.goto(`${c.origin}/admin/settings/topics`);
      await check('settings-topics');
      await p.goto(`${c.origin}/admin/settings/topics/newsletter`);
      await check('settings-topic');
      await p.goto(`${c.origin}/admin/settings/operators`);
      await check('settings-operators');
      await p.goto(`${c.origin}/admin/settings/templates`);
      await check('settings-templates');
      await p.goto(`${c.origin}/admin/settings/templates/newsletter/nl`);
      await check('settings-template-preview');
      await p.goto(`${c.origin}/admin/settings/templates/verify-request/en`);
      await check('settings-template-own-mail');
      await context.close();
    }
  });
});
