import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { databaseUrl, onServer, startPgServer, type PgServer } from '../test/helpers/pg-server.ts';
import { print } from './lib.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface BenchServer {
  url: string;
  child: ChildProcess;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

/** A port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** The production build (`npm start` runs it): built once per bench run. */
export function buildOptbox(): string {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  return 'dist/src/main.js';
}

/**
 * Start a server script as its own process (as in production) and wait until it answers.
 * Its log goes to a file, as it would to journald: a pipe read by this busy process would
 * throttle the server's synchronous log writes and measure the pipe, not the server.
 */
export async function startBenchServer(script: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const port = await freePort();
  const log = openSync(`.bench/${script.replace(/\W+/g, '-')}.log`, 'w');
  // BENCH_NODE_ARGS passes flags to the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where a request's time goes.
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), ...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let tries = 0; ; tries++) {
    if (exited || tries > 200) throw new Error(`${script} did not start`);
    const up = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    peakRss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Requests per second that a server sustains, measured with autocannon from this process, and the p99 latency (ms). */
export async function load(options: autocannon.Options): Promise<{ rps: number; errors: number; non2xx: number; total: number; p99: number }> {
  const result = await autocannon({ connections: 32, duration: 5, ...options });
  return { rps: result.requests.average, errors: result.errors + result.timeouts, non2xx: result.non2xx, total: result.requests.total, p99: result.latency.p99 };
}

/**
 * Run `use` on a new database `name` of a throwaway PostgreSQL (Debian's package, fsync on, as
 * in production), stopped afterwards. Where PostgreSQL is not installed, says so and skips.
 */
export async function onBenchPostgres(name: string, use: (url: string) => Promise<void>): Promise<void> {
  let server: PgServer;
  try {
    server = await startPgServer({ fsync: true });
  } catch (err) {
    print(`PostgreSQL: skipped (${(err as Error).message.split('\n')[0]})`);
    return;
  }
  try {
    await onServer(server.url, `CREATE DATABASE "${name}"`);
    await use(databaseUrl(server.url, name));
  } finally {
    await server.stop();
  }
}
