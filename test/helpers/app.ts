import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { fixedClock, testConfig } from '../../src/testing/index.ts';
import { upsertContact } from '../../src/core/contacts.ts';
import { createApiKey } from '../../src/core/api-keys.ts';
import { checkSuppressions } from '../../src/core/suppressions.ts';
import { linksFor } from '../../src/core/links.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { openRuntime } from '../../src/runtime.ts';
import { loadTemplates, type TemplateSet } from '../../src/mail/templates.ts';
import type { Mailer, OutgoingMail } from '../../src/mail/transport.ts';
import { contract } from './contract.ts';
import { freshDatabase } from './engine.ts';

/**
 * The built-in mail templates, compiled once per test file and shared by its apps: compiling
 * runs MJML in a child process, which would otherwise happen once per app.
 */
let compiled: Promise<TemplateSet> | undefined;
function builtinTemplates(): Promise<TemplateSet> {
  compiled ??= loadTemplates();
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

export interface TestAppOptions {
  file?: boolean;
  config?: Partial<Config>;
  mail?: 'record' | 'transport';
  logger?: Logger;
}

/**
 * The whole app over a fresh, migrated database on this run's engine (engine.ts: SQLite in
 * memory, or a temp file with `file: true`; a copy of the migrated template on PostgreSQL), a
 * fixed clock and silent logs. Each test file makes its own; nothing is shared.
 */
export async function makeTestApp(options: TestAppOptions = {}) {
  const database = await freshDatabase({ file: options.file });
  const dir = database.dir;
  const config = testConfig({ ...database.config, publicUrl: 'https://optbox.test', ...options.config });
  const clock = fixedClock();
  /** optbox's own mails (sign-in links, confirmations): recorded here, or sent by the configured transport. */
  const mails: OutgoingMail[] = [];
  const recorder: Mailer = { send: async (mail) => void mails.push(mail) };
  const mailer = options.mail === 'transport' ? undefined : recorder;
  const templates = config.mail.templatesDir === undefined ? builtinTemplates : undefined;
  const logger = options.logger ?? createLogger('silent');
  let deps = await openRuntime(config, { clock, logger, mailer, templates }).catch(async (err: unknown) => {
    await database.drop();
    throw err;
  });
  /** Responses to /api/v1 that the published document does not describe (see contract.ts). */
  const violations: string[] = [];
  const checked = (built: ReturnType<typeof createApp>) => {
    // app.request() and the served app both go through fetch: every API response is checked.
    const fetch = built.fetch;
    built.fetch = async (request, ...rest) => {
      const res = await fetch(request, ...rest);
      try {
        await contract().check(request.method, request.url, res);
      } catch (err) {
        violations.push((err as Error).message);
        throw err;
      }
      return res;
    };
    return built;
  };
  let app = checked(createApp(deps));
  const { key: apiKey } = await createApiKey(deps.core, { name: 'test' });
  const servers: Array<{ close(): void }> = [];

  return {
    get app() {
      return app;
    },
    get deps() {
      return deps;
    },
    get core() {
      return deps.core;
    },
    clock,
    config,
    mails,
    apiKey,
    dir,
    /** The database as a child process (server, CLI) finds it: DATABASE_PATH or DATABASE_URL. */
    databaseEnv: database.env,
    /** A new API key with only these scopes. */
    async keyWith(scopes: string[], name = 'scoped') {
      return (await createApiKey(deps.core, { name, scopes })).key;
    },
    /** Stop and start again on the same database (needs `file: true`), as after a crash or deploy. */
    async restart() {
      if (!dir) throw new Error('restart needs makeTestApp({ file: true })');
      await deps.close();
      deps = await openRuntime(config, { clock, logger, mailer, templates });
      app = checked(createApp(deps));
    },
    /** A contact subscribed to the topic, and its links as a mail would carry them (paths only). */
    async linkFor(email: string, topic: string, extra: { locale?: 'nl' | 'en'; campaign?: string } = {}) {
      const { contact } = await upsertContact(deps.core, { email, topics: topic === '*' ? [] : [topic], locale: extra.locale ?? 'en', source: 'api' });
      const links = linksFor(deps.core, { contactId: contact.id, topic, campaign: extra.campaign });
      return { contact, ...links, path: new URL(links.unsubscribeUrl).pathname, prefsPath: new URL(links.preferencesUrl).pathname };
    },
    async check(email: string, topic?: string) {
      const [result] = await checkSuppressions(deps.core, { emails: [email], topic });
      return result!;
    },
    api(path: string, init: { method?: string; body?: unknown; key?: string | null; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.key !== null) headers.authorization = `Bearer ${init.key ?? apiKey}`;
      if (init.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      return app.request(path, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body) });
    },
    /** The mail hook over this app's database: the same one POST /api/v1/messages/prepare uses. */
    mailHook() {
      return deps.mail.hook();
    },
    /** Serve the app on a real port (127.0.0.1, any free port), for tests where the wire matters. */
    async listen(): Promise<{ origin: string }> {
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      servers.push(server);
      return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    },
    /** Closes everything, then fails if any API response did not match the document (also those a served app answered). */
    async close() {
      for (const s of servers) s.close();
      await deps.close();
      await database.drop();
      if (violations.length) throw new Error(`API responses that do not match the published document:\n${violations.join('\n')}`);
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>;

/** A urlencoded form body as a mail client or browser sends it. */
export function form(fields: Record<string, string>) {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

/** A response body as JSON, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();
