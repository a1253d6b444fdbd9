import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstRunSetupLink } from '../../src/core/operators.ts';
import { suppress } from '../../src/core/suppressions.ts';
import type { TestApp } from '../helpers/app.ts';
import { consoleInBrowser, type ConsoleInBrowser } from '../helpers/console-browser.ts';
import { checkPage, DESKTOP, hasChromium, PHONE } from '../helpers/browser.ts';
import { startReceiver } from '../helpers/receiver.ts';

/**
 * The settings sections for keys in real Chromium over real HTTP, JavaScript off: an API key
 * made in the console, used against the API and revoked; a webhook endpoint, its delivery log
 * and "retry now" against a real receiver; rotating and retiring a link signing key. Then axe
 * and screenshots of each page at desktop and phone width (JavaScript on: axe is a script).
 */
describe.skipIf(!hasChromium)('console settings: API keys, webhooks, signing keys in a browser', () => {
  let c: ConsoleInBrowser;
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let down = true;
  let endpointPath = '';

  beforeAll(async () => {
    c = await consoleInBrowser({ config: { webhookAllowPrivate: true } });
    t = c.t;
    receiver = await startReceiver(() => (down ? 503 : 200));
    const { context, page: p } = await c.open();
    await c.completeSetup(p, (await firstRunSetupLink(t.core, { minutes: 60 }))!, 'admin@ops.example');
    await context.close();
  });
  afterAll(async () => {
    await c?.close();
    await receiver?.close();
  });

  const check = (key: string) =>
    fetch(`${c.origin}/api/v1/suppressions/check`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ emails: ['anyone@example.com'] }) });

  it('creates an API key, reads it off the page once, uses it over HTTP, revokes it: 401', async () => {
    const { context, page: p } = await c.open();
    await c.signIn(p);
    await p.getByRole('link', { name: 'Settings' }).click();
    await p.getByRole('link', { name: 'API keys' }).click();
    await p.getByLabel('Name (who uses it').fill('newsletter pipeline');
    await p.getByLabel('suppressions:read').check();
    await p.getByLabel('messages:prepare').check();
    await p.getByRole('button', { name: 'Create key' }).click();
    const key = await p.getByLabel('The key', { exact: true }).inputValue();
    expect(key).toMatch(/^obx_/);
    await expect(p.getByRole('status').first().textContent()).resolves.toContain('shown only this once');

    expect((await check(key)).status).toBe(200);

    // Once: the list, loaded again, shows the key's name and start, never the key.
    await p.goto(`${c.origin}/admin/settings/api-keys`);
    const html = await p.content();
    expect(html).toContain('newsletter pipeline');
    expect(html).not.toContain(key);
    expect(await p.getByLabel('The key', { exact: true }).count()).toBe(0);

    await p.getByRole('button', { name: /^Revoke: the key newsletter pipeline/ }).click();
    await expect(p.getByRole('status').first().textContent()).resolves.toContain('revoked');
    const refused = await check(key);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    await context.close();
  });

  it('registers a webhook endpoint, reads its delivery log, and "retry now" delivers to the receiver', async () => {
    const { context, page: p } = await c.open();
    await c.signIn(p);
    await p.goto(`${c.origin}/admin/settings/webhooks`);
    await p.getByLabel('URL that receives the POSTs').fill(receiver.url);
    await p.getByLabel('suppression.created').check();
    await p.getByLabel('Description').fill('CRM sync');
    await p.getByRole('button', { name: 'Register endpoint' }).click();
    expect(await p.getByLabel(/Signing secret for/).inputValue()).toMatch(/^whsec_/);
    await p.getByRole('link', { name: 'Open its delivery log' }).click();
    endpointPath = new URL(p.url()).pathname;

    await suppress(t.core, { email: 'left@example.com', reason: 'manual', source: 'api' });
    expect(await t.deps.webhooks.tick()).toBe(1);
    expect(receiver.received.length).toBe(1);
    await p.reload();
    await expect(p.locator('dl.facts').textContent()).resolves.toContain('failing');
    await expect(p.locator('table').textContent()).resolves.toContain('HTTP 503');

    down = false;
    await p.getByRole('button', { name: /Retry now: delivery \d+ \(suppression\.created\)/ }).click();
    await expect(p.getByRole('status').first().textContent()).resolves.toContain('Due now');
    expect(await t.deps.webhooks.tick()).toBe(1);
    expect(receiver.received.length).toBe(2);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
    await p.reload();
    await expect(p.locator('table').textContent()).resolves.toContain('delivered');
    await expect(p.locator('dl.facts').textContent()).resolves.toContain('answering');
    await context.close();
  });

  it('rotates the link signing key and retires the old one behind the confirmation', async () => {
    const before = (await t.linkFor('old-link@example.com', 'newsletter')).path;
    const oldKid = t.core.tokens.activeKid();
    t.clock.advance(1_000);
    const { context, page: p } = await c.open();
    await c.signIn(p);
    await p.goto(`${c.origin}/admin/settings/signing-keys`);
    await p.getByRole('button', { name: 'Rotate now' }).click();
    await expect(p.getByRole('status').first().textContent()).resolves.toContain('A new key signs new links');
    const newKid = t.core.tokens.activeKid();
    expect(newKid).not.toBe(oldKid);
    expect((await fetch(c.origin + before)).status).toBe(200);

    await p.getByLabel('Key to retire').selectOption(oldKid);
    await p.getByLabel(/I understand that every link signed with this key/).check();
    await p.getByRole('button', { name: 'Retire the key' }).click();
    await expect(p.getByRole('status').first().textContent()).resolves.toContain('retired');
    const refused = await fetch(c.origin + before, { headers: { 'accept-language': 'en' } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('This link does not work');
    await context.close();
  });

  it('every settings page here: no serious accessibility violations, fits a phone, screenshots', { timeout: 120_000 }, async () => {
    // The endpoint fails again, so its page shows a failing state and a delivery to retry.
    down = true;
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const { context, page: p } = await c.open(viewport, true);
      const look = (name: string) => checkPage(p, `${name} ${size}`, `console-${name}-${size}`);
      await c.signIn(p);
      await p.goto(`${c.origin}/admin/settings/api-keys`);
      await look('settings-api-keys');
      await p.getByLabel('Name (who uses it').fill(`marketing tool (${size})`);
      await p.getByLabel('contacts:read').check();
      await p.getByRole('button', { name: 'Create key' }).click();
      await look('settings-api-key-created');
      await p.goto(`${c.origin}/admin/settings/webhooks`);
      await look('settings-webhooks');
      await suppress(t.core, { email: `later-${size}@example.com`, reason: 'bounce', source: 'api' });
      await t.deps.webhooks.tick();
      await p.goto(c.origin + endpointPath);
      await look('settings-webhook');
      await p.goto(`${c.origin}/admin/settings/signing-keys`);
      await look('settings-signing-keys');
      await context.close();
    }
  });
});
