import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { logLedgerHead } from './core/ledger.ts';
import { SecretsError } from './core/secrets.ts';
import { createLogger } from './logger.ts';
import { TemplateError } from './mail/templates.ts';
import { DatabaseError, openRuntime } from './runtime.ts';

/** load config → open db → migrate → build app → serve, and stop gracefully on SIGTERM/SIGINT. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`optbox: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let runtime;
  try {
    runtime = openRuntime(config, { logger });
  } catch (err) {
    if (err instanceof SecretsError || err instanceof DatabaseError) {
      // One line for whoever reads the terminal, one for the log; no stack trace.
      process.stderr.write(`optbox: ${err.message}\n`);
      logger.fatal(err.message);
      process.exit(2);
    }
    throw err;
  }
  const url = new URL(config.publicUrl);
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    logger.warn({ publicUrl: config.publicUrl }, 'PUBLIC_URL is plain http: RFC 8058 one-click needs an https List-Unsubscribe URI, mailbox providers will ignore it');
  }

  // Compile the mail templates now: invalid MJML stops the start, naming template and line,
  // instead of failing the first send.
  try {
    const hook = await runtime.mail.hook();
    logger.info({ templates: hook.templates() }, 'mail templates compiled');
  } catch (err) {
    if (err instanceof TemplateError) {
      logger.fatal(err.message);
      runtime.close();
      process.exit(2);
    }
    throw err;
  }

  const app = createApp(runtime);
  // Webhooks go out beside the requests, never inside one (src/core/webhook-worker.ts).
  runtime.webhooks.start();
  // A copy of the ledger's head outside the database: `optbox ledger verify --head` checks it.
  const headLog = logLedgerHead(runtime.core, logger, config.ledgerHeadLogMinutes * 60_000);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info: AddressInfo) => {
    logger.info({ host: info.address, port: info.port, publicUrl: config.publicUrl, database: config.databasePath }, 'listening');
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    headLog.stop();
    // Finish the requests and webhook deliveries in flight (their writes commit first), then
    // close the database. Deliveries not yet sent stay in the outbox for the next start.
    server.close(() => {
      void runtime.webhooks.stop().finally(() => {
        runtime.close();
        process.exit(0);
      });
    });
    setTimeout(() => {
      runtime.close();
      process.exit(0);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
