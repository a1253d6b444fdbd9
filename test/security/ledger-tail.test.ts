import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logLedgerHead } from '../../src/core/ledger.ts';
import { unsubscribe } from '../../src/core/subscriptions.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { openRawDb } from '../helpers/raw-db.ts';

/**
 * Cutting the newest rows off the ledger leaves a shorter chain that is intact in itself. A head
 * kept from an earlier run (printed by `optbox ledger verify`, logged by the server) shows it.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp({ file: true });
  for (const email of ['ann@example.com', 'bob@example.com']) {
    const link = await t.linkFor(email, 'newsletter');
    await unsubscribe(t.core, { contactId: link.contact.id, topic: 'newsletter', source: 'one-click' });
  }
});
afterEach(() => t.close());

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', ...t.databaseEnv } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

// Each case runs the real CLI a few times (tsx start-up: seconds each on a busy machine).
describe('optbox ledger verify --head', { timeout: 120_000 }, () => {
  it('prints the head; fails once the newest rows are cut off, though the shorter chain is intact', async () => {
    const first = await cli('ledger', 'verify');
    expect(first.code).toBe(0);
    const head = /^head (\d+:[0-9a-f]{64})$/m.exec(first.stdout)![1]!;
    expect(head.startsWith('4:')).toBe(true);
    expect((await cli('ledger', 'verify', '--head', head)).code).toBe(0);

    // Someone with write access to the database drops the guards and deletes the newest row.
    const raw = await openRawDb(t.config);
    await raw.dropLedgerGuards();
    await raw.run('DELETE FROM consent_events WHERE id = (SELECT max(id) FROM consent_events)');
    await raw.close();

    const plain = await cli('ledger', 'verify');
    expect(plain.code).toBe(0); // the chain that is left verifies: why the head must be kept elsewhere
    const cut = await cli('ledger', 'verify', '--head', head);
    expect(cut.code).not.toBe(0);
    expect(cut.stderr).toMatch(/ledger NOT intact.*removed from its end/);
  });

  it('fails when the chain was rewritten up to the kept head', async () => {
    const head = /^head (\d+:[0-9a-f]{64})$/m.exec((await cli('ledger', 'verify')).stdout)![1]!;
    const forged = head.replace(/:(.)/, (_, c: string) => ':' + (c === 'a' ? 'b' : 'a'));
    const res = await cli('ledger', 'verify', '--head', forged);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/rewritten/);
    expect((await cli('ledger', 'verify', '--head', 'nonsense')).stderr).toMatch(/--head: expected COUNT:HASH/);
  });
});

describe('the server logs the head', () => {
  it('at start and periodically', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = pino({ level: 'info' }, sink);
    const log = logLedgerHead(t.core, logger, 20);
    try {
      await vi.waitFor(() => expect(lines.length).toBeGreaterThanOrEqual(2), { timeout: 30_000 });
    } finally {
      log.stop();
    }
    const entry = JSON.parse(lines[0]!) as { msg: string; ledgerHead: string };
    expect(entry.msg).toBe('ledger head');
    expect(entry.ledgerHead).toMatch(/^4:[0-9a-f]{64}$/);
  });
});
