import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { logLedgerHead } from './core/ledger.ts';
import { firstRunSetupLink } from './core/operators.ts';
import { SecretsError } from './core/secrets.ts';
import { bufferedStdout, createLogger, flushLog, type Logger } from './logger.ts';
import { TemplateError } from './mail/templates.ts';
import { startInboundSmtp, type InboundSmtp } from './mail/inbound.ts';
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
  const logger = createLogger(config.logLevel, { destination: bufferedStdout() });
  const exit = (code: number) => exitAfterLog(logger, code);
  let runtime;
  try {
    runtime = await openRuntime(config, { logger });
  } catch (err) {
    if (err instanceof SecretsError || err instanceof DatabaseError) {
      // One line for whoever reads the terminal, one for the log; no stack trace.
      process.stderr.write(`optbox: ${err.message}\n`);
      logger.fatal(err.message);
      return exit(2);
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
      return exit(2);
    }
    throw err;
  }

  // No operator yet: the one way in is a single-use setup link, printed once, here, to stderr
  // (not into the JSON log, which may be shipped elsewhere). See README "Operator console".
  const setup = await firstRunSetupLink(runtime.core, { minutes: config.admin.setupMinutes });
  if (setup) {
    logger.warn({ validMinutes: config.admin.setupMinutes }, 'no console operator yet: a one-time setup link is printed on stderr');
    process.stderr.write(`\noptbox: open this link to create the first console admin (works once, for ${config.admin.setupMinutes} minutes):\n  ${setup}\n\n`);
  }

  // mailto: unsubscribes over SMTP, when asked for (off by default).
  let inbound: InboundSmtp | undefined;
  if (config.inbound.smtpPort !== undefined) {
    if (!config.mail.unsubscribeMailto) {
      logger.fatal('INBOUND_SMTP_PORT needs UNSUBSCRIBE_MAILTO: the listener takes mail for that address only');
      runtime.close();
      return exit(2);
    }
    inbound = await startInboundSmtp(runtime);
  }

  const app = createApp(runtime);
  // Webhooks go out beside the requests, never inside one (src/core/webhook-worker.ts).
  runtime.webhooks.start();
  // A copy of the ledger's head outside the database: `optbox ledger verify --head` checks it.
  const headLog = logLedgerHead(runtime.core, logger, config.ledgerHeadLogMinutes * 60_000);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info: AddressInfo) => {
    logger.info({ host: info.address, port: info.port, publicUrl: config.publicUrl, database: config.databasePath }, 'listening');
  });

  runtime.retention.start();

  /**
   * Graceful stop (SIGTERM from an orchestrator, SIGINT from a terminal): stop accepting
   * connections, let the requests in flight finish (each awaits its own commit in the write
   * queue before it answers, so every acknowledged change is durable), stop the webhook worker,
   * the retention timer and the SMTP listener, close the database, exit 0. Deliveries not yet
   * sent stay in the outbox for the next start. After 10 s whatever still runs is cut off.
   */
  let stopping = false;
  // While stopping, each answer closes its connection, so keep-alive clients move on instead
  // of holding the server open with request after request.
  server.on('request', (_req, res: import('node:http').ServerResponse) => {
    if (stopping && !res.headersSent) res.setHeader('Connection', 'close');
  });
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    headLog.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections with no request in flight would hold close() open: end them now
    // and as they go idle.
    const idle = setInterval(() => (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.(), 100);
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    const finish = async () => {
      await closed;
      clearInterval(idle);
      await Promise.all([runtime.webhooks.stop(), runtime.retention.stop(), inbound?.close()]);
      runtime.close();
      logger.info('stopped');
      await exit(0);
    };
    finish().catch((err: unknown) => {
      logger.error({ err }, 'stopping failed');
      void exit(1);
    });
    setTimeout(() => {
      logger.warn('stop took over 10 s; exiting');
      runtime.close();
      void exit(0);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * Exit once the log is written: the log goes out asynchronously (src/logger.ts), and the lines
 * that say why the process ends are the ones an operator needs. A log destination that does not
 * drain within a second does not hold the exit up.
 */
async function exitAfterLog(logger: Logger, code: number): Promise<never> {
  await Promise.race([flushLog(logger), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  process.exit(code);
}

await main();
