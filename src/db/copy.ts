import { asc, getTableColumns, getTableName, is, sql, type SQL } from 'drizzle-orm';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { existsSync } from 'node:fs';
import { openDatabase, type Db } from './client.ts';
import { openPg, type PgDb } from './pg/client.ts';
import * as sqliteSchema from './schema/index.ts';
import * as pgSchema from './pg/schema/index.ts';
import { GENESIS_HASH, verifyChain } from './ledger-chain.ts';
import { consentEvents as sqliteLedger } from './schema/index.ts';
import { consentEvents as pgLedger } from './pg/schema/index.ts';

/** One side of a copy: an SQLite file or a PostgreSQL URL. */
export type CopyEnd = { engine: 'sqlite'; path: string } | { engine: 'pg'; url: string };

export interface CopyReport {
  tables: Array<{ table: string; rows: number }>;
  ledger: { rows: number; head: string };
}

export class CopyError extends Error {}

// Parents before children (foreign keys), then the rest in any order.
const ORDER = ['contacts', 'topics', 'operators', 'webhook_endpoints', 'webhook_events', 'webhook_deliveries'];
// Kept by triggers on both engines from the rows copied into `subscriptions`: not copied.
const DERIVED = new Set(['stat_topic_status']);
// Rows the migrations seed into a new database; they are replaced by the source's.
const SEEDED = ['topics'];
const PAGE = 2000;
// Rows per INSERT: 500 rows of at most 16 columns stay far below either engine's limit on parameters.
const chunks = (rows: Row[]) => Array.from({ length: Math.ceil(rows.length / 500) }, (_, i) => rows.slice(i * 500, i * 500 + 500));

type Row = Record<string, unknown>;
interface End {
  tables: Map<string, SQLiteTable | PgTable>;
  primaryKey(table: string): string[];
  page(table: string, after: Row | undefined): Promise<Row[]>;
  count(table: string): Promise<number>;
  insert(table: string, rows: Row[]): Promise<void>;
  clear(table: string): Promise<void>;
  ledgerPage(after: number, limit: number): Promise<Array<typeof sqliteLedger.$inferSelect>>;
  /** After the copy: sequences and the chain head of PostgreSQL follow the copied rows. */
  finish(ledger: { rows: number; head: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Copy everything from one database to another of either engine: every table, the consent
 * ledger row for row (ids and hashes as they are, so the chain stays the chain), secrets
 * included. The target must be new (migrated, but holding no contact, suppression or ledger
 * row). Afterwards every table's row count is compared and the target's chain is verified.
 */
export async function copyDatabase(from: CopyEnd, to: CopyEnd, progress: (table: string, rows: number) => void = () => {}): Promise<CopyReport> {
  if (to.engine === 'sqlite' && from.engine === 'sqlite' && to.path === from.path) throw new CopyError('source and target are the same file');
  if (from.engine === 'sqlite' && !existsSync(from.path)) throw new CopyError(`no database at ${from.path}`);
  const source = await open(from);
  let target: End | undefined;
  try {
    target = await open(to);
    for (const table of ['contacts', 'suppressions', 'consent_events']) {
      if ((await target.count(table)) > 0) throw new CopyError(`the target already holds ${table}; copy into a new, empty database`);
    }
    for (const table of SEEDED) await target.clear(table);
    const report: CopyReport = { tables: [], ledger: { rows: 0, head: GENESIS_HASH } };
    const names = [...ORDER, ...[...source.tables.keys()].filter((t) => !ORDER.includes(t)).sort()];
    for (const table of names) {
      if (DERIVED.has(table) || !target.tables.has(table)) continue;
      await target.clear(table);
      let rows = 0;
      for (let after: Row | undefined; ; ) {
        const page = await source.page(table, after);
        if (page.length === 0) break;
        await target.insert(table, page);
        rows += page.length;
        progress(table, rows);
        after = page[page.length - 1];
        if (page.length < PAGE) break;
      }
      report.tables.push({ table, rows });
    }
    const chain = await verifyChain((after, limit) => source.ledgerPage(after, limit));
    if (!chain.ok) throw new CopyError(`the source's ledger is broken at row ${chain.brokenAt} (${chain.problem}); nothing to vouch for`);
    await target.finish({ rows: chain.rows, head: chain.head });
    for (const { table, rows } of report.tables) {
      const copied = await target.count(table);
      if (copied !== rows) throw new CopyError(`${table}: ${rows} rows read but ${copied} in the target`);
    }
    const copiedChain = await verifyChain((after, limit) => target!.ledgerPage(after, limit));
    if (!copiedChain.ok || copiedChain.head !== chain.head) throw new CopyError('the copied ledger does not verify to the same head');
    report.ledger = { rows: chain.rows, head: chain.head };
    return report;
  } finally {
    await target?.close();
    await source.close();
  }
}

/** `sqlite:PATH` or `postgres://…`. */
export function parseCopyEnd(value: string): CopyEnd | undefined {
  if (/^postgres(?:ql)?:\/\//.test(value)) return { engine: 'pg', url: value };
  if (value.startsWith('sqlite:') && value.length > 'sqlite:'.length) return { engine: 'sqlite', path: value.slice('sqlite:'.length) };
  return undefined;
}

function tablesOf<T extends SQLiteTable | PgTable>(schema: Record<string, unknown>, isTable: (v: unknown) => v is T): Map<string, T> {
  return new Map(Object.values(schema).filter(isTable).map((t) => [getTableName(t), t]));
}

/** Primary-key order, and the rows after `after` in it (a row comparison, either engine). */
function keyset(table: SQLiteTable | PgTable, keys: string[], after: Row | undefined): { order: SQL[]; where: SQL | undefined } {
  const columns = getTableColumns(table);
  const keyColumns = keys.map((k) => sql`${columns[k]!}`);
  const where = after ? sql`(${sql.join(keyColumns, sql`, `)}) > (${sql.join(keys.map((k) => sql`${after[k]}`), sql`, `)})` : undefined;
  return { order: keys.map((k) => asc(columns[k]!)), where };
}

async function open(end: CopyEnd): Promise<End> {
  return end.engine === 'sqlite' ? openSqliteEnd(openDatabase(end.path)) : openPgEnd(await openPg(end.url, { poolSize: 2 }));
}

function openSqliteEnd(db: Db): End {
  const tables = tablesOf(sqliteSchema, (v): v is SQLiteTable => is(v, SQLiteTable));
  const pk = (name: string) => primaryKeyOf(sqliteTableConfig(tables.get(name)!), getTableColumns(tables.get(name)!));
  return {
    tables,
    primaryKey: pk,
    async page(name, after) {
      const { order, where } = keyset(tables.get(name)!, pk(name), after);
      return db.orm.select().from(tables.get(name)!).where(where).orderBy(...order).limit(PAGE).all() as Row[];
    },
    async count(name) {
      return (db.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
    },
    async insert(name, rows) {
      db.sqlite.transaction(() => {
        for (const chunk of chunks(rows)) db.orm.insert(tables.get(name)!).values(chunk as never).run();
      })();
    },
    async clear(name) {
      db.sqlite.prepare(`DELETE FROM "${name}"`).run();
    },
    async ledgerPage(after, limit) {
      return db.orm.select().from(sqliteLedger).where(sql`${sqliteLedger.id} > ${after}`).orderBy(asc(sqliteLedger.id)).limit(limit).all();
    },
    async finish() {},
    async close() {
      if (db.sqlite.open) db.sqlite.close();
    },
  };
}

function openPgEnd(db: PgDb): End {
  const tables = tablesOf(pgSchema, (v): v is PgTable => is(v, PgTable));
  const pk = (name: string) => primaryKeyOf(pgTableConfig(tables.get(name)!), getTableColumns(tables.get(name)!));
  return {
    tables,
    primaryKey: pk,
    async page(name, after) {
      const { order, where } = keyset(tables.get(name)!, pk(name), after);
      return (await db.orm.select().from(tables.get(name)!).where(where).orderBy(...order).limit(PAGE)) as Row[];
    },
    async count(name) {
      return (await db.pool.query<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`)).rows[0]!.n;
    },
    async insert(name, rows) {
      for (const chunk of chunks(rows)) await db.orm.insert(tables.get(name)!).values(chunk as never);
    },
    async clear(name) {
      // consent_events refuses DELETE and TRUNCATE by trigger; the target holds none (checked above).
      if (name !== 'consent_events') await db.pool.query(`DELETE FROM "${name}"`);
    },
    async ledgerPage(after, limit) {
      return db.orm.select().from(pgLedger).where(sql`${pgLedger.id} > ${after}`).orderBy(asc(pgLedger.id)).limit(limit);
    },
    async finish(ledger) {
      await db.pool.query('UPDATE ledger_head SET rows = $1, hash = $2 WHERE one = 1', [ledger.rows, ledger.head]);
      // Identity columns continue after the copied ids.
      const { rows } = await db.pool.query<{ table_name: string; column_name: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
      );
      for (const r of rows) {
        await db.pool.query(`SELECT setval(pg_get_serial_sequence('"${r.table_name}"', '${r.column_name}'), coalesce((SELECT max("${r.column_name}") FROM "${r.table_name}"), 0) + 1, false)`);
      }
    },
    async close() {
      await db.pool.end();
    },
  };
}

/** The primary key's property names: the table-level key, else the column marked primary. */
function primaryKeyOf(config: { primaryKeys: Array<{ columns: Array<{ name: string }> }> }, columns: Record<string, { name: string; primary: boolean }>): string[] {
  const byName = new Map(Object.entries(columns).map(([prop, c]) => [c.name, prop]));
  const composite = config.primaryKeys[0];
  if (composite) return composite.columns.map((c) => byName.get(c.name)!);
  const single = Object.entries(columns).find(([, c]) => c.primary);
  if (!single) throw new CopyError('a table without a primary key');
  return [single[0]];
}
