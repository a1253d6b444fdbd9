import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/testing/index.ts';
import { createApiKey } from '../../src/core/api-keys.ts';
import { upsertContact } from '../../src/core/contacts.ts';
import { linksFor } from '../../src/core/links.ts';
import { verifyLedger } from '../../src/core/ledger.ts';
import { checkSuppressions } from '../../src/core/suppressions.ts';
import { createLogger } from '../../src/logger.ts';
import { openRuntime } from '../../src/runtime.ts';
import { json } from '../helpers/app.ts';
import { freshDatabase, type TestDatabase } from '../helpers/engine.ts';
import { startServer } from '../helpers/server.ts';
import { SECURITY_HEADERS } from '../../src/routes/security-headers.ts';

/**
 * The durability promise over the wire: once the real server answered 200 to a one-click POST, the
 * suppression survives SIGKILL. The server runs as `npm start` runs it, on a real database (a SQLite
 * file, or PostgreSQL in the `pg` test project).
 */
let db: TestDatabase;
let apiKey: string;
const paths = new Map<string, string>();
const emails = Array.from({ length: 20 }, (_, i) => `person${i}@example.com`);

beforeAll(async () => {
  db = await freshDatabase({ file: true });
  const rt = await openRuntime(testConfig(db.config), { logger: createLogger('silent') });
  apiKey = (await createApiKey(rt.core, { name: 'ci' })).key;
  for (const email of emails) {
    const { contact } = await upsertContact(rt.core, { email, topics: ['newsletter'], source: 'import' });
    paths.set(email, new URL(linksFor(rt.core, { contactId: contact.id, topic: 'newsletter' }).unsubscribeUrl).pathname);
  }
  rt.close();
});
afterAll(() => db.drop());

async function suppressedAfterRestart(): Promise<Set<string>> {
  const rt = await openRuntime(testConfig(db.config), { logger: createLogger('silent') });
  try {
    const results = await checkSuppressions(rt.core, { emails, topic: 'newsletter' });
    expect(await verifyLedger(rt.core)).toMatchObject({ ok: true });
    return new Set(results.filter((r) => r.suppressed).map((r) => r.email));
  } finally {
    rt.close();
  }
}

describe('one-click over a real server', () => {
  it('a 200 survives kill -9 (multipart body, as Gmail sends it)', async () => {
    const server = await startServer({ ...db.env });
    const body = new FormData();
    body.set('List-Unsubscribe', 'One-Click');
    const res = await fetch(server.url + paths.get(emails[0]!)!, { method: 'POST', body, redirect: 'manual' });
    expect(res.status).toBe(200);
    await server.kill(); // at once, before anything else can flush
    expect(await suppressedAfterRestart()).toEqual(new Set([emails[0]]));
  });

  it('every one of many concurrent 200s survives kill -9 (urlencoded, group commit)', async () => {
    const server = await startServer({ ...db.env });
    const batch = emails.slice(1);
    const statuses = await Promise.all(
      batch.map((email) =>
        fetch(server.url + paths.get(email)!, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        }).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    await server.kill();
    expect(await suppressedAfterRestart()).toEqual(new Set(emails));
  });

  it('GET and HEAD over the wire change nothing; the check API answers after restart', async () => {
    const server = await startServer({ ...db.env });
    try {
      const fresh = 'fresh@example.com';
      const rt = await openRuntime(testConfig(db.config), { logger: createLogger('silent') });
      const { contact } = await upsertContact(rt.core, { email: fresh, topics: ['newsletter'], source: 'import' });
      const url = server.url + new URL(linksFor(rt.core, { contactId: contact.id, topic: 'newsletter' }).unsubscribeUrl).pathname;
      rt.close();
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
      const check = await fetch(`${server.url}/api/v1/suppressions/check`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ emails: [fresh, emails[0]], topic: 'newsletter' }),
      });
      expect((await json(check)).results.map((r: { suppressed: boolean }) => r.suppressed)).toEqual([false, true]);
      // Over the wire (the Node response, not app.request): every security header and the request
      // id on every answer, and a route's own value (the API docs' CSP) wins over the default.
      const health = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'lb-1234' } });
      expect(health.status).toBe(200);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(health.headers.get(name)).toBe(value);
      expect(health.headers.get('x-request-id')).toBe('lb-1234');
      expect(health.headers.get('content-type')).toMatch(/^application\/json/);
      const docs = await fetch(`${server.url}/api/docs`);
      expect(docs.headers.get('content-security-policy')).toContain('script-src');
      expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await fetch(`${server.url}/nope`)).headers.get('x-frame-options')).toBe('SAMEORIGIN');
      // Logs are JSON and carry neither tokens nor addresses.
      const logs = server.logs.join('\n');
      expect(logs).toContain('"path":"/u/:token"');
      expect(logs).not.toContain(url.split('/u/')[1]!.slice(0, 40));
      expect(logs).not.toContain('@example.com');
    } finally {
      await server.stop();
    }
  });
});
