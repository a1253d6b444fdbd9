import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/testing/index.ts';
import { upsertContact } from '../../src/core/contacts.ts';
import { linksFor } from '../../src/core/links.ts';
import { verifyLedger } from '../../src/core/ledger.ts';
import { checkSuppressions } from '../../src/core/suppressions.ts';
import { createLogger } from '../../src/logger.ts';
import { openRuntime } from '../../src/runtime.ts';
import { freshDatabase, type TestDatabase } from '../helpers/engine.ts';
import { startServer } from '../helpers/server.ts';

/**
 * Graceful stop of the real server process (as `npm start` runs it): SIGTERM in the middle of a
 * stream of one-click unsubscribes. Every request answered 200 must be durable, the process must
 * exit 0, and no request may be answered with an error because of the stop.
 */
let db: TestDatabase;
const emails = Array.from({ length: 400 }, (_, i) => `load${i}@example.com`);
const paths = new Map<string, string>();

beforeAll(async () => {
  db = await freshDatabase({ file: true });
  const rt = await openRuntime(testConfig(db.config), { logger: createLogger('silent') });
  for (const email of emails) {
    const { contact } = await upsertContact(rt.core, { email, topics: ['newsletter'], source: 'import' });
    paths.set(email, new URL(linksFor(rt.core, { contactId: contact.id, topic: 'newsletter' }).unsubscribeUrl).pathname);
  }
  rt.close();
});
afterAll(() => db.drop());

describe('SIGTERM during one-click load', () => {
  it('finishes what it acknowledged, refuses nothing with an error, and exits 0', { timeout: 120_000 }, async () => {
    const server = await startServer({ ...db.env, RETENTION_INTERVAL_MINUTES: '0' });
    const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let refused = 0;
    let next = 0;
    let signalled = false;

    // 16 clients, each posting one-clicks back to back until the server no longer takes them.
    const client = async () => {
      while (next < emails.length) {
        const email = emails[next++]!;
        try {
          const res = await fetch(server.url + paths.get(email)!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 200) acknowledged.push(email);
          await res.text();
        } catch {
          refused++; // connection refused or reset: never acknowledged, so nothing is promised
        }
        if (!signalled && acknowledged.length >= 40) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, client));
    const code = await exit;

    expect(signalled).toBe(true);
    expect(code).toBe(0);
    expect([...statuses.keys()].every((s) => s === 200)).toBe(true); // no 5xx because of the stop
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    expect(server.logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);

    const rt = await openRuntime(testConfig(db.config), { logger: createLogger('silent') });
    try {
      const results = await checkSuppressions(rt.core, { emails: acknowledged, topic: 'newsletter' });
      expect(results.filter((r) => !r.suppressed).map((r) => r.email)).toEqual([]);
      expect(await verifyLedger(rt.core)).toMatchObject({ ok: true });
    } finally {
      rt.close();
    }
    // The request log lines carry the request id the responses carried.
    expect(server.logs.some((l) => /"reqId":"[0-9a-f-]{36}".*"msg":"request"/.test(l))).toBe(true);
  });
});
