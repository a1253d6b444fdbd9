import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { checkPage, DESKTOP, hasChromium, launchBrowser, PHONE, serveTestApp } from '../helpers/browser.ts';

/** The unsubscribe pages in real Chromium: without JavaScript, as mail apps' in-app browsers may run them. */
describe.skipIf(!hasChromium)('unsubscribe pages in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveTestApp>>;

  beforeAll(async () => {
    t = await makeTestApp();
    server = await serveTestApp(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  /** The pages ship no script; the flow runs with JavaScript off. axe needs it on to run its own. */
  async function page(locale: 'nl' | 'en', viewport = DESKTOP, javaScriptEnabled = false) {
    const context = await browser.newContext({ javaScriptEnabled, locale, viewport });
    return { context, page: await context.newPage() };
  }

  it('confirm → unsubscribe → undo, by keyboard, without JavaScript', async () => {
    const link = await t.linkFor('quinn@example.com', 'newsletter');
    const { context, page: p } = await page('en');
    const res = await p.goto(server.origin + link.path);
    expect(res?.status()).toBe(200);
    await expect(p.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Unsubscribe from Newsletter?');
    expect(await t.check('quinn@example.com', 'newsletter')).toMatchObject({ suppressed: false });

    // Keyboard: the first Tab stop is the main action.
    await p.keyboard.press('Tab');
    await expect(p.evaluate('document.activeElement?.textContent')).resolves.toBe('Unsubscribe from Newsletter');
    await p.keyboard.press('Enter');
    await p.waitForURL(/\/u\//);
    await expect(p.getByRole('status').textContent()).resolves.toContain('You will no longer receive Newsletter');
    expect(await t.check('quinn@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });

    await p.getByRole('button', { name: 'Undo: subscribe me again' }).click();
    await expect(p.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Welcome back');
    expect(await t.check('quinn@example.com', 'newsletter')).toMatchObject({ suppressed: false });
    await context.close();
  });

  it('every page: no serious accessibility violations, readable on a phone, screenshots in nl and en', { timeout: 60_000 }, async () => {
    for (const locale of ['nl', 'en'] as const) {
      for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
        const link = await t.linkFor(`shot-${locale}-${size}@example.com`, 'newsletter', { locale });
        const { context, page: p } = await page(locale, viewport, true);
        const pages: Array<[string, () => Promise<unknown>]> = [
          ['unsubscribe-confirm', () => p.goto(server.origin + link.path)],
          ['unsubscribe-done', () => p.locator('button[value="topic"]').click()],
          ['unsubscribe-resubscribed', () => p.locator('button[value="undo"]').click()],
          ['preferences', () => p.goto(server.origin + link.prefsPath)],
          ['error-invalid-link', () => p.goto(server.origin + '/u/broken-link')],
        ];
        for (const [name, open] of pages) {
          await open();
          await checkPage(p, `${name} ${locale} ${size}`, `${name}-${locale}-${size}`);
        }
        await context.close();
      }
    }
  });
});
