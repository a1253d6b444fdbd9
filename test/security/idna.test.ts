import { afterEach, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/core/contacts.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { onPg } from '../helpers/engine.ts';
import { openRawDb } from '../helpers/raw-db.ts';

/** An address in every form is one address: internationalised domains are keyed as A-labels. */
let t: TestApp;
afterEach(() => t.close());

describe('IDNA', () => {
  it('suppressing user@bücher.de suppresses user@xn--bcher-kva.de and every other spelling', async () => {
    t = await makeTestApp();
    expect((await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'user@bücher.de', reason: 'complaint' }] } })).status).toBe(200);
    for (const spelling of ['user@xn--bcher-kva.de', 'user@BÜCHER.de', 'user@bu\u0308cher.de', 'USER@XN--BCHER-KVA.DE']) {
      expect(await t.check(spelling), spelling).toMatchObject({ suppressed: true, reason: 'complaint' });
    }
    // One contact, whichever form it is written in.
    const a = await upsertContact(t.core, { email: 'ann@exämple.de', source: 'api' });
    const b = await upsertContact(t.core, { email: 'ann@xn--exmple-cua.de', source: 'api' });
    expect(b.contact.id).toBe(a.contact.id);
    expect(b.created).toBe(false);
    const res = await t.api('/api/v1/suppressions/check', { body: { emails: ['user@xn--bcher-kva.de'] } });
    expect((await json(res)).results[0]).toMatchObject({ suppressed: true });
  });

  it('addresses and suppressions stored in the old form are rewritten and rekeyed once, at start', async () => {
    t = await makeTestApp({ file: true });
    // What an older optbox stored: U-label addresses, keyed as they were written.
    const raw = await openRawDb(t.config);
    const oldKey = t.core.addressKey('bob@bücher.de');
    const no = onPg ? false : 0; // a boolean column: integer on SQLite
    await raw.run("INSERT INTO contacts (id, email, locale, status, no_profiling, created_at, updated_at) VALUES ('c_old', 'bob@bücher.de', 'en', 'active', ?, 1, 1)", no);
    await raw.run("INSERT INTO suppressions (address_key, scope, reason, source, email, created_at) VALUES (?, '*', 'unsubscribe', 'one-click', 'bob@bücher.de', 1)", oldKey);
    await raw.run("INSERT INTO suppression_changes (address_key, scope, reason, source, email, created_at, deleted, changed_at) VALUES (?, '*', 'unsubscribe', 'one-click', 'bob@bücher.de', 1, ?, 1)", oldKey, no);
    await raw.run('DELETE FROM data_migrations');
    await raw.close();
    expect(await t.check('bob@xn--bcher-kva.de')).toMatchObject({ suppressed: false }); // before: two keys for one address

    await t.restart();
    expect(await t.check('bob@xn--bcher-kva.de')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    expect(await t.check('bob@bücher.de')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    expect((await t.core.store.contacts.byEmail('bob@xn--bcher-kva.de'))?.id).toBe('c_old');
    const check = await openRawDb(t.config);
    expect(await check.all("SELECT count(*) AS n FROM suppressions WHERE email LIKE '%bücher%'")).toEqual([{ n: 0 }]);
    expect(await check.all('SELECT name FROM data_migrations')).toEqual([{ name: 'idna-a-label-addresses' }]);
    await check.close();
    await t.restart(); // recorded: nothing runs again
    expect(await t.check('bob@xn--bcher-kva.de')).toMatchObject({ suppressed: true });
  });
});
