import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import { testConfig } from '../src/testing/index.ts';
import { openDatabase } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { rate } from './lib.ts';
import { seedSuppressions } from './seed.ts';
import { load } from './servers.ts';

/**
 * The databases and loads more than one benchmark measures with: the million-suppression list,
 * the one-click database and its baseline, the single-address check. Made in .bench/ (kept
 * between runs where that is safe).
 */
export const DIR = '.bench';
export const MILLION = 1_000_000;

export function openBench(databasePath: string) {
  return openRuntime(testConfig({ databasePath, logLevel: 'silent' }), { logger: createLogger('silent') });
}

/** A database with a million suppressions (a quarter global, the rest newsletter), made once and kept in .bench/. */
export async function millionDb(): Promise<string> {
  const path = join(DIR, 'million.db');
  if (existsSync(path)) return path;
  mkdirSync(DIR, { recursive: true });
  const tmp = path + '.tmp';
  rmSync(tmp, { force: true });
  const rt = await openBench(tmp);
  const raw = new Database(tmp);
  raw.pragma('synchronous = OFF');
  const insert = raw.prepare("INSERT INTO suppressions (address_key, scope, reason, source, email, created_at) VALUES (?, ?, ?, 'import', ?, 0)");
  raw.transaction(() => {
    for (let i = 0; i < MILLION; i++) {
      const email = `user${i}@bench.example`;
      insert.run(rt.core.addressKey(email), i % 4 === 0 ? '*' : 'newsletter', i % 4 === 0 ? 'bounce' : 'unsubscribe', email);
    }
  })();
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  await rt.close();
  // The checkpoint emptied the WAL into the main file: move that, drop the rest.
  for (const suffix of ['-wal', '-shm']) rmSync(tmp + suffix, { force: true });
  renameSync(tmp, path);
  return path;
}

/** Half of the addresses are on the million list. */
export const probe = (i: number) => (i % 2 === 0 ? `user${(i * 7919) % MILLION}@bench.example` : `other${i}@bench.example`);

/** The single-address check, a new address per request, under autocannon's 32 connections. */
export function singleCheckLoad(url: string, apiKey: string, seconds = 5): Promise<Awaited<ReturnType<typeof load>>> {
  let n = 0;
  return load({
    url,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/suppressions/check',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ emails: [probe(n++)], topic: 'newsletter' }) }),
      },
    ],
  });
}

/** Ten thousand addresses per request, four connections: what a batch sender does (and what the RSS bound must hold under). */
export function bulkCheckLoad(url: string, apiKey: string): Promise<Awaited<ReturnType<typeof load>>> {
  const body = JSON.stringify({ emails: Array.from({ length: 10_000 }, (_, i) => probe(i + 1)), topic: 'newsletter' });
  return load({
    url,
    connections: 4,
    requests: [{ method: 'POST', path: '/api/v1/suppressions/check', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body }],
  });
}

/** A fresh database of 60,000 subscribed contacts and one one-click path per contact. */
export async function oneClickDb(): Promise<{ path: string; paths: string[] }> {
  const path = join(DIR, 'oneclick.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const rt = await openBench(path);
  const raw = new Database(path);
  const addContact = raw.prepare("INSERT INTO contacts (id, email, locale, status, created_at, updated_at) VALUES (?, ?, 'en', 'active', 0, 0)");
  const addSub = raw.prepare("INSERT INTO subscriptions (contact_id, topic_id, status, source, updated_at) VALUES (?, 'newsletter', 'subscribed', 'import', 0)");
  const paths: string[] = [];
  raw.transaction(() => {
    for (let i = 0; i < 60_000; i++) {
      const id = `bench${i}`;
      addContact.run(id, `reader${i}@bench.example`);
      addSub.run(id);
      paths.push(`/u/${rt.core.tokens.sign('unsub', { contactId: id, topic: 'newsletter' })}`);
    }
  })();
  raw.close();
  await rt.close();
  return { path, paths };
}

/** RFC 8058 one-click POSTs, each to a different contact. */
export function oneClickLoad(url: string, paths: string[]): Promise<Awaited<ReturnType<typeof load>>> {
  let next = 0;
  return load({
    url,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
        setupRequest: (req: autocannon.Request) => ({ ...req, path: paths[next++ % paths.length]! }),
      },
    ],
  });
}

/** Baseline of the one-click: one row per transaction, WAL, synchronous=FULL: the fsync every durable commit pays. */
export async function rawDurableCommits(): Promise<number> {
  const basePath = join(DIR, 'commits.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(basePath + suffix, { force: true });
  const base = new Database(basePath);
  base.pragma('journal_mode = WAL');
  base.pragma('synchronous = FULL');
  base.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = base.prepare('INSERT INTO t (v) VALUES (?)');
  const commits = await rate(() => insert.run('unsubscribe'), { ms: 3000 });
  base.close();
  return commits;
}

/** The export's database: `rows` suppressions seeded straight into the table (migrated and peppered through the runtime first). */
export async function exportDb(path: string, rows: number): Promise<void> {
  const runtime = await openBench(path);
  const keyOf = runtime.core.addressKey;
  await runtime.close();
  const db = openDatabase(path);
  seedSuppressions(db, rows, keyOf, Date.UTC(2026, 0, 1));
  db.sqlite.close();
}

/**
 * Stream the export of `path` through the app in a process of its own (api-export.child.mjs, on
 * the production build), so the peak RSS it reports is the export's and not the seeding's.
 */
export function runExport(path: string, format: 'csv' | 'ndjson'): { rows: number; seconds: number; peakRss: number; baseRss: number } {
  const child = fileURLToPath(new URL('./api-export.child.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [child, path, format], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as { rows: number; seconds: number; peakRss: number; baseRss: number };
}
