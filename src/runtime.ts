import type { Config } from './config.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { createCore } from './core/create-core.ts';
import { openStore } from './db/store.ts';
import { createLogger, type Logger } from './logger.ts';
import type { AppDeps } from './routes/context.ts';

/**
 * Open the database, migrate it, load the secrets and build the core: what the server, the CLI
 * and the tests share. The caller owns the result and closes it.
 */
export function openRuntime(config: Config, options: { clock?: Clock; logger?: Logger } = {}): AppDeps & { close(): void } {
  const store = openStore(config.databasePath);
  try {
    const core = createCore(store, {
      clock: options.clock ?? systemClock,
      policyVersion: config.policyVersion,
      publicUrl: config.publicUrl,
      secret: config.secret,
      pepper: config.pepper,
    });
    return { core, config, logger: options.logger ?? createLogger(config.logLevel), close: () => store.close() };
  } catch (err) {
    store.close();
    throw err;
  }
}
