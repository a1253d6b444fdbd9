import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/core/ledger.ts';
import { unsubscribe, resubscribe } from '../../src/core/subscriptions.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { openRawDb, type RawDb } from '../helpers/raw-db.ts';

let t: TestApp;
let raw: RawDb;

beforeEach(async () => {
  t = await makeTestApp({ file: true });
  const ann = await t.linkFor('ann@example.com', 'newsletter');
  await unsubscribe(t.core, { contactId: ann.contact.id, topic: 'newsletter', source: 'one-click' });
  await resubscribe(t.core, { contactId: ann.contact.id, topic: 'newsletter', source: 'unsubscribe-page' });
  await unsubscribe(t.core, { contactId: ann.contact.id, topic: '*', source: 'unsubscribe-page' });
  // A second connection to the same database: what someone with access to it could do.
  raw = await openRawDb(t.config);
});
afterEach(async () => {
  await raw.close();
  await t.close();
});

describe('consent ledger', () => {
  it('verifies an untouched chain', async () => {
    expect(await verifyLedger(t.core)).toMatchObject({ ok: true, rows: 4 });
  });

  it('refuses UPDATE and DELETE outright', async () => {
    await expect(raw.run("UPDATE consent_events SET source = 'api' WHERE id = 2")).rejects.toThrow(/append-only/);
    await expect(raw.run('DELETE FROM consent_events WHERE id = 2')).rejects.toThrow(/append-only/);
  });

  it('detects an edited row even when the guards are dropped', async () => {
    await raw.dropLedgerGuards();
    await raw.run("UPDATE consent_events SET action = 'subscribe' WHERE id = 2");
    expect(await verifyLedger(t.core)).toMatchObject({ ok: false, brokenAt: 2, problem: expect.stringMatching(/content/) });
  });

  it('detects a deleted row', async () => {
    await raw.dropLedgerGuards();
    await raw.run('DELETE FROM consent_events WHERE id = 3');
    expect(await verifyLedger(t.core)).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('detects an edit that recomputes the row hash but not the chain after it', async () => {
    await raw.dropLedgerGuards();
    await raw.run("UPDATE consent_events SET hash = (CASE substr(hash, 1, 1) WHEN 'f' THEN '0' ELSE 'f' END) || substr(hash, 2) WHERE id = 2");
    expect(await verifyLedger(t.core)).toMatchObject({ ok: false, brokenAt: 2 });
  });
});
