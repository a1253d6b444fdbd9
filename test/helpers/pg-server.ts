import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A throwaway PostgreSQL server for one test run: Debian's `postgresql` package (initdb and
 * pg_ctl), a cluster in a temporary folder, listening on a free port of 127.0.0.1 with its unix
 * socket in that folder, stopped and removed at the end. initdb refuses to run as root, so as
 * root (CI) the server runs as the `postgres` user through runuser.
 */
const run = promisify(execFile);

/** Run statements on a server's maintenance database (CREATE/DROP DATABASE): one connection, closed after. */
export async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface PgServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres: the maintenance database, for CREATE/DROP DATABASE. */
  url: string;
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<version>/bin that has initdb (Debian keeps one folder per major version). */
export function findPgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error(`PostgreSQL tests need Debian's postgresql package (initdb under ${root}/<version>/bin): apt-get install postgresql, or set OPTBOX_TEST_DATABASE_URL to a server`);
  return join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `fsync`: on for the benchmarks (durable commits are what they measure). Off for the tests: they
 * kill optbox processes, never the database server or the machine, so what PostgreSQL committed
 * is there for them either way, and without the flushes each test database is made in a fraction
 * of the time (CREATE DATABASE flushes the whole copy).
 */
export async function startPgServer(options: { fsync?: boolean } = {}): Promise<PgServer> {
  const bin = findPgBin();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'optbox-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
    owner = { uid: await id('-u'), gid: await id('-g') };
    chownSync(dir, owner.uid, owner.gid);
  }
  // As root, each tool runs as postgres (which owns the folder); otherwise as whoever runs the tests.
  const tool = (name: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args]) : run(join(bin, name), args));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    mkdirSync(data, { mode: 0o700 });
    if (owner) chownSync(data, owner.uid, owner.gid);
    // --no-sync only skips flushing the fresh cluster's files; the server's own fsync is set below.
    await tool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions']);
  } catch (err) {
    cleanup();
    throw new Error(`initdb failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
  }
  // A free port is taken between asking and listening only by chance: try another then.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        '',
        '# optbox test server',
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        `fsync = ${options.fsync ? 'on' : 'off'}`,
        `full_page_writes = ${options.fsync ? 'on' : 'off'}`,
        'synchronous_commit = on',
        'max_connections = 300', // each test app keeps a pool; test files run in parallel
        'shared_buffers = 32MB',
        '',
      ].join('\n'),
    );
    try {
      await tool('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      return {
        url,
        async stop() {
          // immediate: the cluster is thrown away, nothing to flush for anyone.
          await tool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
          cleanup();
        },
      };
    } catch (err) {
      if (attempt < 3) continue;
      cleanup();
      throw new Error(`the test PostgreSQL server did not start: ${(err as { stderr?: string }).stderr ?? String(err)}`);
    }
  }
}
