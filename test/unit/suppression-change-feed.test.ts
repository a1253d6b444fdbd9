import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open.ts';
import type { Store } from '../../src/db/store.ts';
import { freshDatabase, onPg, type TestDatabase } from '../helpers/engine.ts';

const key = (n: number) => createHash('sha256').update(`feed-${n}`).digest();
const event = { actor: null, policyVersion: 'test' };
const KEYS = 150;

/**
 * The change feed's promise: a client that follows `seq > cursor` ends with exactly the list. On
 * PostgreSQL, transactions on several connections (and instances) draw seqs and commit in any
 * order, so this is a claim about concurrency: two stores on one database write at once while a
 * reader follows the cursor in small pages. (On SQLite one writer makes it so by construction.)
 */
describe.skipIf(!onPg)('suppression change feed under concurrent writers (two instances)', () => {
  let database: TestDatabase;
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    database = await freshDatabase();
    [a, b] = await Promise.all([openStore({ ...database.config, databasePoolSize: 4 }), openStore({ ...database.config, databasePoolSize: 4 })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  it('a reader following the cursor ends with exactly the list', async () => {
    const mirror = new Map<string, string>();
    let cursor = 0;
    let writing = true;
    const reader = (async () => {
      for (;;) {
        const done = !writing;
        const page = await b.suppressions.changes({ after: cursor, limit: 25 });
        for (const c of page) {
          const id = `${c.addressKey.toString('hex')} ${c.scope}`;
          if (c.deleted) mirror.delete(id);
          else mirror.set(id, c.reason);
          cursor = c.seq;
        }
        if (done && page.length === 0) return;
      }
    })();

    const writer = async (store: Store, seed: number) => {
      for (let i = 0; i < 40; i++) {
        const n = (seed * 31 + i * 17) % KEYS;
        const scope = (seed + i) % 2 === 0 ? '*' : 'newsletter';
        const at = Date.UTC(2026, 10, 28) + i;
        const kind = (seed + i * 7) % 5;
        if (kind < 2) {
          await store.suppressions.add({ addressKey: key(n), scope, reason: kind === 0 ? 'bounce' : 'manual', source: 'api', email: null, expiresAt: kind === 0 ? at + 1e12 : null, at, contactId: null, event });
        } else if (kind < 4) {
          await store.suppressions.remove({ addressKey: key(n), scope, reasons: ['bounce', 'manual', 'unsubscribe'], at, contactId: null, source: 'api', event });
        } else {
          const items = Array.from({ length: 10 }, (_, j) => ({ addressKey: key((n + j * 13) % KEYS), scope, reason: 'unsubscribe' as const, source: 'api', email: null, expiresAt: null, contactId: null }));
          await store.suppressions.addMany(items, at, event);
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, (_, seed) => writer(seed % 2 === 0 ? a : b, seed)));
    writing = false;
    await reader;

    const list = new Map<string, string>();
    for (let n = 0; n < KEYS; n++) for (const row of await a.suppressions.forKey(key(n), Date.UTC(2026, 10, 28))) list.set(`${row.addressKey.toString('hex')} ${row.scope}`, row.reason);
    expect(list.size).toBeGreaterThan(0);
    expect(new Map([...mirror].sort())).toEqual(new Map([...list].sort()));
    expect((await a.ledger.verify()).ok).toBe(true);
  }, 120_000);
});
