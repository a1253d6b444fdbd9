import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/testing/index.ts';
import { createLogger } from '../../src/logger.ts';
import { openRuntime } from '../../src/runtime.ts';

/**
 * A database the server cannot use stops the start with one line that names the file and the
 * reason, and a non-zero exit: no stack trace. The real server is spawned as `npm start` runs it.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'optbox-broken-db-'));
  chmodSync(dir, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The unprivileged user must reach the project to run it. A checkout inside a private folder
 * (mktemp -d makes them 0700) would stop it before optbox starts: let others traverse (x only,
 * no listing) each folder above the project for the run, and put the modes back after.
 */
function letOthersReach(path: string): () => void {
  const changed: Array<[string, number]> = [];
  for (let p = path; ; p = dirname(p)) {
    const mode = statSync(p).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      chmodSync(p, mode | 0o001);
      changed.push([p, mode]);
    }
    if (dirname(p) === p) break;
  }
  return () => {
    for (const [p, mode] of changed) chmodSync(p, mode);
  };
}

/** Run the server until it exits (it must, at start); as an unprivileged user when we are root. */
function runServer(databasePath: string, asUser = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const unprivileged = asUser && process.getuid?.() === 0;
  const restore = unprivileged ? letOthersReach(root) : () => {};
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_PATH: databasePath, MAIL_OUTBOX_DIR: join(dir, 'outbox'), HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(unprivileged ? { uid: 65534, gid: 65534 } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      restore();
      resolve({ code, stdout, stderr });
    }),
  );
}

function expectOneClearLine(result: { code: number | null; stdout: string; stderr: string }, reason: RegExp) {
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull(); // it exited by itself, it was not killed by the timer
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^optbox: cannot use the database /);
  expect(lines[0]).toMatch(reason);
  expect(result.stderr + result.stdout).not.toMatch(/\n\s+at /); // no stack trace
  expect(result.stdout).not.toContain('"listening"');
}

describe('a database that cannot be used at start', { timeout: 60_000 }, () => {
  it('read-only: one line, non-zero exit', async () => {
    const databasePath = join(dir, 'readonly.db');
    await (await openRuntime(testConfig({ databasePath }), { logger: createLogger("silent") })).close();
    chmodSync(databasePath, 0o444);
    for (const f of ['-wal', '-shm']) rmSync(databasePath + f, { force: true });
    expectOneClearLine(await runServer(databasePath, true), /read-only|cannot be opened/);
  });

  it('a folder where the file should be: one line, non-zero exit', async () => {
    const databasePath = join(dir, 'a-folder.db');
    mkdirSync(databasePath);
    expectOneClearLine(await runServer(databasePath), /cannot be opened/);
  });

  it('not a database: one line, non-zero exit', async () => {
    const databasePath = join(dir, 'garbage.db');
    writeFileSync(databasePath, 'this is not SQLite '.repeat(400));
    expectOneClearLine(await runServer(databasePath), /not an SQLite database/);
  });

  it('a path through a file: one line, non-zero exit', async () => {
    writeFileSync(join(dir, 'plain-file'), 'x');
    expectOneClearLine(await runServer(join(dir, 'plain-file', 'optbox.db')), /not a folder|cannot be opened/);
  });
});
