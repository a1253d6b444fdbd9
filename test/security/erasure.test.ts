import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/core/contacts.ts';
import { eraseContact } from '../../src/core/erasure.ts';
import { confirmEmailChange, requestEmailChange } from '../../src/core/preferences.ts';
import { unsubscribe } from '../../src/core/subscriptions.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { onPg } from '../helpers/engine.ts';
import { openRawDb } from '../helpers/raw-db.ts';

/**
 * Erasure reaches every address the person had: after an address change and erasure, neither
 * address is in kept webhook payloads, either one re-imported stays suppressed, and no byte of
 * either is left in the database file or its WAL (on PostgreSQL, whose files the test cannot
 * read: in no row of any table).
 */
const OLD = 'old.person@example.com';
const NEW = 'new.person@example.com';
let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ file: true });
});
afterAll(() => t.close());

describe('erasure after an address change', () => {
  it('suppresses and scrubs every address, and leaves none in the database files', async () => {
    expect((await t.api('/api/v1/webhooks', { body: { url: 'https://hooks.example.com/x', events: ['suppression.created', 'suppression.deleted', 'subscription.updated', 'contact.erased'] } })).status).toBe(201);
    const { contact } = await upsertContact(t.core, { email: OLD, topics: ['newsletter', 'marketing'], source: 'api' });
    await unsubscribe(t.core, { contactId: contact.id, topic: 'newsletter', source: 'one-click' });
    t.clock.advance(60_000);
    const { token } = await requestEmailChange(t.core, { contactId: contact.id, email: NEW, minutes: 30 });
    await confirmEmailChange(t.core, { token });
    await unsubscribe(t.core, { contactId: contact.id, topic: 'marketing', source: 'one-click' });

    await eraseContact(t.core, { contactId: contact.id, source: 'api' });

    // Both addresses stay suppressed as erased, and a re-import of the old one is not mailed.
    expect(await t.check(OLD)).toMatchObject({ suppressed: true, reason: 'erasure' });
    expect(await t.check(NEW)).toMatchObject({ suppressed: true, reason: 'erasure' });
    await upsertContact(t.core, { email: OLD, topics: ['newsletter'], source: 'import' });
    const decision = await json(t.api('/api/v1/messages/prepare', { body: { to: OLD, topic: 'newsletter', template: 'newsletter', subject: 'x' } }));
    expect(decision).toMatchObject({ send: false, reason: 'erased' });

    // The re-import wrote the old address again (a new contact): erase that one too, then look
    // at the files for both addresses.
    const again = (await t.core.store.contacts.byEmail(OLD))!;
    await eraseContact(t.core, { contactId: again.id, source: 'api' });

    const stored = await storedBytes();
    expect(stored.length).toBeGreaterThan(0);
    for (const [where, bytes] of stored) {
      for (const needle of [OLD, NEW, 'old.person', 'new.person']) expect(bytes.includes(Buffer.from(needle)), `${needle} in ${where}`).toBe(false);
    }
  });
});

/** What the database holds: the SQLite file and its WAL; on PostgreSQL every table's rows as text. */
async function storedBytes(): Promise<Array<[string, Buffer]>> {
  if (!onPg) return [t.config.databasePath, `${t.config.databasePath}-wal`].filter((f) => existsSync(f)).map((f) => [f, readFileSync(f)]);
  const raw = await openRawDb(t.config);
  try {
    const tables = await raw.all<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
    const dumps: Array<[string, Buffer]> = [];
    for (const { name } of tables) {
      const [row] = await raw.all<{ rows: string | null }>(`SELECT string_agg(r::text, E'\\n') AS rows FROM "${name}" r`);
      dumps.push([`table ${name}`, Buffer.from(row?.rows ?? '')]);
    }
    return dumps;
  } finally {
    await raw.close();
  }
}
