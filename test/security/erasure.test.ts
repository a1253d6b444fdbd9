import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/core/contacts.ts';
import { eraseContact } from '../../src/core/erasure.ts';
import { confirmEmailChange, requestEmailChange } from '../../src/core/preferences.ts';
import { unsubscribe } from '../../src/core/subscriptions.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Erasure reaches every address the person had: after an address change and erasure, neither
 * address is in kept webhook payloads, either one re-imported stays suppressed, and no byte of
 * either is left in the database file or its WAL.
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

    const files = [t.config.databasePath, `${t.config.databasePath}-wal`].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const needle of [OLD, NEW, 'old.person', 'new.person']) expect(bytes.includes(Buffer.from(needle)), `${needle} in ${file}`).toBe(false);
    }
  });
});
