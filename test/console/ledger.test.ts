import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { consoleGet, consolePost, signedInOperator } from '../helpers/console.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe('ledger integrity page', () => {
  it('a GET only shows the button; the POST walks the chain like `optbox ledger verify`', async () => {
    await t.linkFor('l1@example.com', 'newsletter');
    await t.linkFor('l2@example.com', 'marketing');
    const viewer = await signedInOperator(t, 'viewer');
    const page = await (await consoleGet(t, '/admin/ledger', viewer.cookie)).text();
    expect(page).toContain('Check the ledger now');
    expect(page).not.toContain('intact');
    const res = await consolePost(t, '/admin/ledger/verify', viewer.cookie, { _csrf: viewer.csrf });
    expect(res.status).toBe(200);
    const expected = await t.core.store.ledger.verify();
    expect(expected.ok).toBe(true);
    const html = await res.text();
    expect(html).toContain(`The ledger is intact: ${expected.rows} rows checked`);
    expect(html).toContain(expected.ok ? expected.head : '');
    expect((await t.core.store.operators.recentAudit(1))[0]).toMatchObject({ action: 'ledger.verify' });
  });
});
