import { configDefaults, defineConfig } from 'vitest/config';

/**
 * `npm test` runs the suite on both database engines: project `sqlite` (every test) and project
 * `pg` (every test that opens a store, on a real PostgreSQL server: test/setup/pg.ts starts a
 * throwaway one, or uses OPTBOX_TEST_DATABASE_URL). One engine only: `npx vitest run --project pg`.
 */
const all = ['test/**/*.test.{ts,tsx}'];

/**
 * Run once, on SQLite only; say why for each. Tests about SQLite itself are marked in their file
 * instead when only part of the file is (`describe.skipIf(onPg)`, test/helpers/engine.ts).
 */
const sqliteOnly = [
  // Never open a store: the same on either engine.
  'test/unit/architecture.test.ts',
  'test/unit/config-mail.test.ts',
  'test/unit/email.test.ts',
  'test/unit/export-format.test.ts',
  'test/unit/list-headers.test.ts',
  'test/unit/schema-parity.test.ts',
  'test/unit/tokens.test.ts',
  // Real Chromium on the pages: what they show does not depend on the engine, and the same
  // flows run over HTTP on PostgreSQL in test/http and test/console. Slow (a browser per file).
  'test/e2e/**',
  // About the SQLite file itself: read-only, a folder, not an SQLite database.
  'test/server/broken-database.test.ts',
  // The API document and clients made from it (the walk of every documented example,
  // test/api/openapi-examples.test.ts, does run on PostgreSQL).
  'test/api/openapi.test.ts',
  'test/api/contract.test.ts',
  'test/api/generated-client.test.ts', // openapi-typescript and tsc: half a minute
  // Rendering and sending mail (MJML, DKIM, SMTP transports): the store only answers who may be
  // mailed, which test/mail/may-mail.test.ts checks on both engines.
  'test/mail/hook.test.ts',
  'test/http/messages-prepare.test.ts',
  'test/mail/nodemailer-smtp.test.ts',
  'test/mail/transport.test.ts',
  'test/mail/mailto.test.ts', // the unsubscribe it makes is the one-click verb, tested on both
  // The request's peer address and the sign-in answer's timing (the store lookup is held by a
  // stand-in there): nothing the engine decides.
  'test/security/trust-proxy.test.ts',
  'test/security/sign-in-timing.test.ts',
];

export default defineConfig({
  test: {
    // Generous: tests that start a real server (tsx compiles it first), Chromium or a database
    // copy wait on other processes, and a loaded 2-core CI machine makes those waits long.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // vitest's default is one worker per core but one: a single worker on a 2-core machine. Most
    // test files spend their time waiting (servers they spawn, PostgreSQL, Chromium, SMTP), so
    // two run side by side.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: all },
      },
      {
        extends: true,
        test: {
          name: 'pg',
          include: all,
          exclude: [...configDefaults.exclude, ...sqliteOnly],
          globalSetup: ['test/setup/pg.ts'],
        },
      },
    ],
  },
});
