import { is } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as sqliteSchema from '../../src/db/schema/index.ts';
import * as pgSchema from '../../src/db/pg/schema/index.ts';
import * as coordination from '../../src/db/pg/schema/coordination.ts';

/**
 * The two schemas (src/db/schema for SQLite, src/db/pg/schema for PostgreSQL) describe one
 * database: the same tables, columns (name, mapped type, nullability, primary key, whether there
 * is a default, enum values), unique constraints, indexes and foreign keys. The only difference
 * allowed: the PostgreSQL-only tables of coordination.ts (state that one SQLite process keeps in
 * itself and several instances must share).
 */

/** The column types of one engine, mapped to what they hold. */
function sqliteType(column: SQLiteColumn): string {
  if (column.columnType === 'SQLiteBoolean') return 'boolean';
  if (column.columnType === 'SQLiteTextJson' || column.columnType === 'SQLiteBlobJson') return 'json';
  const type = column.getSQLType();
  return ({ integer: 'int64', blob: 'bytes', text: 'text', real: 'float' } as Record<string, string>)[type] ?? `sqlite:${type}`;
}
function pgType(column: PgColumn): string {
  const type = column.getSQLType();
  // SQLite's integer is 64 bits: its twin is bigint (a PostgreSQL integer would overflow sooner).
  return ({ bigint: 'int64', bigserial: 'int64', boolean: 'boolean', jsonb: 'json', bytea: 'bytes', text: 'text', 'double precision': 'float' } as Record<string, string>)[type] ?? `pg:${type}`;
}

interface Shape {
  columns: Record<string, { type: string; notNull: boolean; primary: boolean; hasDefault: boolean; generatedId: boolean; unique: string | undefined; enum: string[] | undefined }>;
  primaryKeys: string[][];
  uniques: string[];
  indexes: string[];
  foreignKeys: string[];
  checks: string[];
}

type AnyColumn = SQLiteColumn | PgColumn;
type Config = ReturnType<typeof sqliteTableConfig> | ReturnType<typeof pgTableConfig>;

/**
 * Drizzle marks every SQLite integer primary key as having a default (it aliases the rowid, which
 * SQLite fills in); without AUTOINCREMENT the code always gives the id (e.g. the one row of
 * readiness_probe), so only an explicit default counts there.
 */
function sqliteHasDefault(column: AnyColumn): boolean {
  const rowidAlias = column.primary && column.getSQLType() === 'integer' && !(column as { autoIncrement?: boolean }).autoIncrement;
  return rowidAlias ? column.default !== undefined || column.defaultFn !== undefined : column.hasDefault;
}

function shape(config: Config, typeOf: (c: AnyColumn) => string, generatedId: (c: AnyColumn) => boolean, hasDefault: (c: AnyColumn) => boolean = (c) => c.hasDefault): Shape {
  const names = (columns: Array<{ name: string }>) => columns.map((c) => c.name).join(',');
  const columns: Shape['columns'] = {};
  for (const column of config.columns as AnyColumn[]) {
    columns[column.name] = {
      type: typeOf(column),
      notNull: column.notNull,
      primary: column.primary,
      hasDefault: hasDefault(column),
      generatedId: generatedId(column),
      unique: column.isUnique ? column.uniqueName : undefined,
      enum: column.enumValues?.length ? [...column.enumValues] : undefined,
    };
  }
  return {
    columns,
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    uniques: config.uniqueConstraints.map((u) => `${u.name ?? '?'}(${names(u.columns)})`).sort(),
    indexes: config.indexes
      .map((i) => {
        const columns = (i.config.columns as Array<{ name?: string }>).map((c) => c.name ?? '<expression>').join(',');
        return `${i.config.unique ? 'unique ' : ''}${i.config.name}(${columns})${i.config.where ? ' partial' : ''}`;
      })
      .sort(),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        const target = is(ref.foreignTable, PgTable) ? pgTableConfig(ref.foreignTable).name : sqliteTableConfig(ref.foreignTable as SQLiteTable).name;
        return `(${names(ref.columns)}) -> ${target}(${names(ref.foreignColumns)}) on delete ${fk.onDelete ?? 'no action'} on update ${fk.onUpdate ?? 'no action'}`;
      })
      .sort(),
    checks: config.checks.map((c) => c.name).sort(),
  };
}

function sqliteShapes(): Map<string, Shape> {
  const tables = (Object.values(sqliteSchema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable));
  return new Map(
    tables.map((t) => {
      const config = sqliteTableConfig(t);
      return [config.name, shape(config, (c) => sqliteType(c as SQLiteColumn), (c) => (c as { autoIncrement?: boolean }).autoIncrement === true, sqliteHasDefault)];
    }),
  );
}

function pgShapes(): Map<string, Shape> {
  const tables = (Object.values(pgSchema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
  return new Map(
    tables.map((t) => {
      const config = pgTableConfig(t);
      const generated = (c: AnyColumn) => (c as PgColumn).generatedIdentity !== undefined || /serial$/.test(c.getSQLType());
      return [config.name, shape(config, (c) => pgType(c as PgColumn), generated)];
    }),
  );
}

const pgOnly = new Set(
  (Object.values(coordination) as unknown[])
    .filter((v): v is PgTable => is(v, PgTable))
    .map((t) => pgTableConfig(t).name),
);

describe('schema parity between SQLite and PostgreSQL', () => {
  const sqlite = sqliteShapes();
  const pg = pgShapes();

  it('has tables to compare, and the PostgreSQL-only ones are only those of coordination.ts', () => {
    expect(sqlite.size).toBeGreaterThan(15);
    expect([...pgOnly].sort()).toEqual(['change_versions', 'ledger_head', 'rate_limit_buckets']);
    for (const name of pgOnly) expect(sqlite.has(name), `${name} is PostgreSQL-only`).toBe(false);
  });

  it('has the same tables', () => {
    const pgShared = [...pg.keys()].filter((n) => !pgOnly.has(n)).sort();
    expect(pgShared).toEqual([...sqlite.keys()].sort());
  });

  it.each([...sqliteShapes().keys()].sort())('%s: same columns, keys, unique constraints, indexes and foreign keys', (name) => {
    const twin = pg.get(name);
    expect(twin, `no PostgreSQL table ${name}`).toBeDefined();
    expect(twin).toEqual(sqlite.get(name));
  });
});
