import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPg } from '../../src/db/pg/client.ts';
import { databaseUrl, onServer, startPgServer, type PgServer } from '../helpers/pg-server.ts';
import type { PgTarget } from '../helpers/engine.ts';

/**
 * Global setup of the PostgreSQL project (vitest.config.ts): once per run, a server (the one
 * OPTBOX_TEST_DATABASE_URL names, else a throwaway one, see pg-server.ts) and one migrated
 * template database. Each test app then gets `CREATE DATABASE … TEMPLATE` of it (a copy of its
 * blocks, far quicker than migrating) and drops it when it closes.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    optboxPg: PgTarget | undefined;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.OPTBOX_TEST_DATABASE_URL;
  let server: PgServer | undefined;
  if (!given) server = await startPgServer();
  const adminUrl = given ?? server!.url;
  // Names carry this run's id: runs on one shared server never meet, and teardown finds its own.
  const prefix = `optbox_test_${randomBytes(4).toString('hex')}`;
  const template = `${prefix}_template`;
  try {
    await onServer(adminUrl, `CREATE DATABASE "${template}"`);
    const db = await openPg(databaseUrl(adminUrl, template), { poolSize: 2 });
    await db.pool.end();
    // Nobody may connect to the template while the tests copy it (CREATE DATABASE refuses then).
    await onServer(adminUrl, `ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false`);
  } catch (err) {
    await server?.stop();
    throw err;
  }
  project.provide('optboxPg', { adminUrl, template, prefix });

  return async () => {
    if (server) return server.stop();
    // A given server stays; drop what this run left on it (the template, and apps that did not close).
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
