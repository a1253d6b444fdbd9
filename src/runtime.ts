import type { Config } from './config.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { migrateAddressForms } from './core/address-forms.ts';
import { createCore } from './core/create-core.ts';
import { createWebhookWorker, type WebhookWorker } from './core/webhook-worker.ts';
import { createRetentionScheduler, type RetentionPolicy, type RetentionScheduler } from './core/retention.ts';
import { openStore } from './db/open.ts';
/** The database cannot be opened, written or migrated: main and the CLI print it in one line. */
export { DatabaseError } from './db/client.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMailService } from './mail/service.ts';
import type { TemplateSet } from './mail/templates.ts';
import { createMailer, type Mailer } from './mail/transport.ts';
import { countSuppressionChecks, createMetrics, type Metrics } from './metrics.ts';
import type { AppDeps } from './routes/context.ts';
import type { SnsHttp } from './routes/hooks/sns.ts';

/**
 * Open the database, migrate it, load the secrets and build the core: what the server, the CLI
 * and the tests share. The caller owns the result and closes it.
 */
export interface Runtime extends AppDeps {
  /** The webhook delivery worker; `main` starts it, tests call `tick()`. Stopped by close. */
  webhooks: WebhookWorker;
  metrics: Metrics;
  /** Retention on a timer; `main` starts it, close stops it. */
  retention: RetentionScheduler;
  retentionPolicy: RetentionPolicy;
  close(): Promise<void>;
}

export function retentionPolicyOf(config: Config): RetentionPolicy {
  return { ...config.retention, softBounceWindowMs: config.feedback.softBounce.windowMs };
}

export interface RuntimeOptions {
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  /** Transport for optbox's own mails; default from config (SMTP_URL, else the outbox folder). */
  mailer?: Mailer | undefined;
  /** Compiled mail templates to use instead of compiling them (tests share one set per file). */
  templates?: (() => Promise<TemplateSet>) | undefined;
  /** How /hooks/ses reaches SNS; tests pass a stand-in. */
  snsHttp?: SnsHttp | undefined;
}

export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const store = await openStore(config);
  try {
    const core = await createCore(store, {
      clock: options.clock ?? systemClock,
      policyVersion: config.policyVersion,
      publicUrl: config.publicUrl,
      secret: config.secret,
      pepper: config.pepper,
      allowPrivateWebhooks: config.webhookAllowPrivate,
    });
    const logger = options.logger ?? createLogger(config.logLevel);
    const forms = await migrateAddressForms(core);
    if (forms) logger.info({ ...forms }, 'stored addresses normalized (internationalised domains as A-labels)');
    const mailer = options.mailer ?? createMailer(config, logger);
    const webhooks = createWebhookWorker(core, { timeoutMs: config.webhookTimeoutMs, maxAttempts: config.webhookMaxAttempts, pollMs: config.webhookPollMs, logger, allowPrivate: config.webhookAllowPrivate });
    const retentionPolicy = retentionPolicyOf(config);
    const retention = createRetentionScheduler(core, retentionPolicy, { intervalMs: config.retention.intervalMinutes * 60_000, logger });
    const metrics = createMetrics(core);
    countSuppressionChecks(store, metrics);
    return {
      core,
      config,
      logger,
      metrics,
      snsHttp: options.snsHttp,
      mailer,
      mail: createMailService({ core, config, logger, mailer, templates: options.templates }),
      webhooks,
      retention,
      retentionPolicy,
      close: async () => {
        await Promise.all([webhooks.stop(), retention.stop()]);
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
