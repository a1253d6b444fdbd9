import type { Config } from '../config.ts';
import type { CoreDeps } from '../core/deps.ts';
import type { ApiKeyEnv } from '../auth/api-key.ts';
import type { Logger } from '../logger.ts';
import type { MailService } from '../mail/service.ts';
import type { Mailer } from '../mail/transport.ts';

/** What every area factory is given, built once by the runtime (src/runtime.ts). */
export interface AppDeps {
  core: CoreDeps;
  config: Config;
  logger: Logger;
  /** Transport for optbox's own mails (sign-in links, confirmations). */
  mailer: Mailer;
  /** The runtime's mail hook and the sending of optbox's own mails. */
  mail: MailService;
}

/** The Hono environment of every route: the API key middleware's variables. */
export type AppEnv = ApiKeyEnv;
