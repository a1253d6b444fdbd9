import type { Browser, Page } from 'playwright-core';
import { makeTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { DESKTOP, freePort, launchBrowser, serveTestApp } from './browser.ts';

export const BROWSER_PASSWORD = 'a long and memorable passphrase';

/**
 * The console in real Chromium over real HTTP, as its e2e files share it: the test app on a
 * free port (its public URL is that origin, so the console's Origin check holds), a browser,
 * pages with JavaScript off by default (the console needs none), and the steps every walk
 * starts with: set up an operator through a setup link, sign in.
 */
export async function consoleInBrowser(options: TestAppOptions = {}) {
  const port = await freePort();
  const t: TestApp = await makeTestApp({ ...options, config: { ...options.config, publicUrl: `http://127.0.0.1:${port}` } });
  const server = await serveTestApp(t, port);
  const browser: Browser = await launchBrowser();
  const origin = server.origin;

  async function open(viewport = DESKTOP, javaScriptEnabled = false) {
    const context = await browser.newContext({ javaScriptEnabled, viewport, locale: 'en' });
    return { context, page: await context.newPage() };
  }

  /** Follow a setup link as the person it was made for: address (first run only), password twice. */
  async function completeSetup(p: Page, url: string, email?: string) {
    await p.goto(url);
    if (email) await p.getByLabel('Your email address').fill(email);
    await p.getByLabel('Password', { exact: true }).fill(BROWSER_PASSWORD);
    await p.getByLabel('Password again').fill(BROWSER_PASSWORD);
    await p.getByRole('button', { name: 'Save and sign in' }).click();
    await p.waitForURL(`${origin}/admin`);
  }

  async function signIn(p: Page, email = 'admin@ops.example') {
    await p.goto(`${origin}/admin/login`);
    await p.getByLabel('Email address').fill(email);
    await p.getByLabel('Password').fill(BROWSER_PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(`${origin}/admin`);
  }

  return {
    t,
    browser,
    origin,
    open,
    completeSetup,
    signIn,
    async close() {
      await browser.close();
      await server.close();
      await t.close();
    },
  };
}

export type ConsoleInBrowser = Awaited<ReturnType<typeof consoleInBrowser>>;
