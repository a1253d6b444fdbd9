import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.ts';
import { upsertContact } from '../../src/core/contacts.ts';
import { verifyLedger } from '../../src/core/ledger.ts';
import { runRetention } from '../../src/core/retention.ts';
import { unsubscribe } from '../../src/core/subscriptions.ts';
import { createWebhookEndpoint } from '../../src/core/webhooks.ts';
import { retentionPolicyOf } from '../../src/runtime.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

/** Retention with a fixed clock: who is erased when, what is purged, and what stays. */
let t: TestApp;
const DAY = 86_400_000;
let gone: string;
let partly: string;
let subscribed: string;

beforeAll(async () => {
  t = await makeTestApp();
  await createWebhookEndpoint(t.core, { url: 'https://hooks.example.com/optbox', events: ['subscription.updated'], actor: 'test', apiKeyId: null, limits: t.config.webhookEndpoints });
  gone = (await upsertContact(t.core, { email: 'gone@example.com', topics: ['newsletter', 'updates'], source: 'api' })).contact.id;
  partly = (await upsertContact(t.core, { email: 'partly@example.com', topics: ['newsletter', 'updates'], source: 'api' })).contact.id;
  subscribed = (await upsertContact(t.core, { email: 'stays@example.com', topics: ['newsletter'], source: 'api' })).contact.id;
  await unsubscribe(t.core, { contactId: gone, topic: '*', source: 'one-click' });
  await unsubscribe(t.core, { contactId: partly, topic: 'newsletter', source: 'one-click' });
  // Five subscription.updated events (three sign-ups, two unsubscribes): every delivery goes out (recorded as delivered), a sign-in link is used, a provider event comes in.
  for (const d of await t.core.store.webhooks.due(t.clock.now(), 100)) {
    await t.core.store.webhooks.recordAttempt({ deliveryId: d.id, at: t.clock.now(), statusCode: 204, error: null, durationMs: 3, delivered: true, nextAttemptAt: null, endpointPausedUntil: null });
  }
  await t.core.store.sessions.useOnce('jti-1', t.clock.now() + 30 * 60_000, t.clock.now());
});
afterAll(() => t.close());

const policy = () => retentionPolicyOf(t.config);
const status = async (id: string) => (await t.core.store.contacts.byId(id))!.status;

describe('retention', () => {
  it('before the period nothing is due; expired link ids already are', async () => {
    t.clock.advance(DAY);
    const report = await runRetention(t.core, policy(), { dryRun: true });
    expect(report.erased).toBe(0);
    expect(report.purged).toMatchObject({ usedLinkIds: 1, webhookDeliveries: 0 });
  });

  it('a dry run after the period counts and changes nothing; the CLI prints the same', async () => {
    t.clock.advance(31 * DAY);
    const ledger = (await t.core.store.ops.ledgerLength());
    const report = await runRetention(t.core, policy(), { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, erased: 1, purged: { webhookDeliveries: 5, webhookEvents: 5, usedLinkIds: 1 } });
    const lines: string[] = [];
    await commands.retention!.run(t.deps, { 'dry-run': true }, ['run'], (l) => lines.push(l));
    expect(lines.join('\n')).toContain('contacts erased (keyed-hash suppression kept): 1 (would be)');
    expect(lines.join('\n')).toContain('webhookDeliveries: would remove 5');
    expect((await t.core.store.ops.ledgerLength())).toBe(ledger);
    expect(await status(gone)).toBe('active');
  });

  it('a run erases only the contact unsubscribed from everything, keeps its suppression, and purges', async () => {
    const report = await runRetention(t.core, policy());
    expect(report.erased).toBe(1);
    expect(report.purged).toMatchObject({ webhookDeliveries: 5, webhookEvents: 5, usedLinkIds: 1 });
    expect(await status(gone)).toBe('erased');
    expect(await status(partly)).toBe('active'); // still subscribed to updates
    expect(await status(subscribed)).toBe('active');
    expect(await t.check('gone@example.com')).toMatchObject({ suppressed: true, reason: 'erasure' });
    expect((await t.core.store.ledger.forContact(gone)).at(-1)).toMatchObject({ action: 'erase', source: 'retention' });
    expect(await verifyLedger(t.core)).toMatchObject({ ok: true });
    // Nothing is left to do: a second run removes nothing.
    const again = await runRetention(t.core, policy());
    expect(again.erased).toBe(0);
    expect(Object.values(again.purged).every((n) => n === 0)).toBe(true);
  });

  it('inactive contacts are erased only when RETENTION_INACTIVE_DAYS is set', async () => {
    expect((await runRetention(t.core, { ...policy(), inactiveDays: 0 })).erased).toBe(0);
    t.clock.advance(400 * DAY);
    expect((await runRetention(t.core, { ...policy(), inactiveDays: 365 })).erased).toBe(2);
    expect(await status(subscribed)).toBe('erased');
    expect(await t.check('stays@example.com')).toMatchObject({ suppressed: true, reason: 'erasure' });
  });
});
