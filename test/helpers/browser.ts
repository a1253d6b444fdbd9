import { serve } from '@hono/node-server';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestApp } from './app.ts';

/** Debian's Chromium (downloads of browser builds do not work here); override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Browser tests run where a Chromium is, and always in CI (CI=true): there a missing browser must
 * fail the run, not skip the tests quietly.
 */
export const hasChromium = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Where the e2e run leaves a screenshot of every page (README: "Screenshots"). */
export const SCREENSHOTS = 'test-results/screenshots';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root in CI: no sandbox. No background traffic: this machine has no network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The test app on a real HTTP server on a free port; returns its origin and a stop. */
export async function serveTestApp(t: TestApp, port = 0): Promise<{ origin: string; close(): Promise<void> }> {
  const server = serve({ fetch: t.app.fetch, port, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/**
 * The checks every page of a walk-through gets once it has loaded: no serious accessibility
 * violation (axe; the page needs JavaScript on for it), nothing wider than the viewport (no
 * sideways scrolling on a phone; the widest offenders are named), and a screenshot `shot`.
 */
export async function checkPage(page: Page, label: string, shot: string): Promise<void> {
  await page.waitForLoadState();
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const wide = await page.evaluate("[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.tagName + '.' + e.className).slice(0, 5).join(' ')");
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), `${label}: ${wide}`).toBe(true);
  await screenshot(page, shot);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/**
 * axe-core's serious and critical violations on the page. The script is evaluated through the
 * DevTools protocol, so the page's CSP (no inline script) stays as it is for the test.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // A string expression: it runs in the page, where `axe` now exists.
  const violations = (await page.evaluate(
    'axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))',
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A TCP port that was free a moment ago: the app's PUBLIC_URL must name it before it serves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * The newest mail the folder transport wrote (MAIL_OUTBOX_DIR), parsed, after `count` mails
 * were there before: the e2e tests read sign-in links the way a newcomer without SMTP would.
 */
export async function nextMail(dir: string, count: number): Promise<{ to: string; subject: string; text: string; file: string }> {
  // Up to 15 s: the mail goes out after the answer and is rendered from MJML, which on a busy
  // machine (CI sharing its cores) took longer than the 2.5 s this waited before.
  for (let tries = 0; tries < 300; tries++) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).sort() : [];
    if (files.length > count) {
      const file = join(dir, files.at(-1)!);
      const mail = await simpleParser(readFileSync(file));
      const to = Array.isArray(mail.to) ? mail.to[0]!.text : (mail.to?.text ?? '');
      return { to, subject: mail.subject ?? '', text: mail.text ?? '', file };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no new mail in ${dir}`);
}

export function mailCount(dir: string): number {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).length : 0;
}
