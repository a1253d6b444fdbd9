import type { Config } from '../config.ts';
import type { CoreDeps } from '../core/deps.ts';
import type { ApiKeyEnv } from '../auth/api-key.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/transport.ts';

/** What every area factory is given: the core, the parsed config, a logger. */
export interface AppDeps {
  core: CoreDeps;
  config: Config;
  logger: Logger;
  /** Transport for optbox's own mails (sign-in links, confirmations); built from config when absent. */
  mailer?: Mailer | undefined;
}

/** The Hono environment of every route: the API key middleware's variables. */
export type AppEnv = ApiKeyEnv;
