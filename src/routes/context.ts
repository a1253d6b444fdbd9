import type { Config } from '../config.ts';
import type { CoreDeps } from '../core/deps.ts';
import type { ApiKeyEnv } from '../auth/api-key.ts';
import type { Logger } from '../logger.ts';
import type { MailService } from '../mail/service.ts';
import type { Mailer } from '../mail/transport.ts';
import type { Metrics } from '../metrics.ts';
import type { SnsHttp } from './hooks/sns.ts';

/** What every area factory is given, built once by the runtime (src/runtime.ts). */
export interface AppDeps {
  core: CoreDeps;
  config: Config;
  logger: Logger;
  /** Transport for optbox's own mails (sign-in links, confirmations). */
  mailer: Mailer;
  /** The runtime's mail hook and the sending of optbox's own mails. */
  mail: MailService;
  /** Prometheus metrics of this runtime; absent: nothing is counted and /metrics answers 404. */
  metrics?: Metrics | undefined;
  /** How /hooks/ses reaches SNS (certificates, subscription confirmation); absent: the real AWS rule. */
  snsHttp?: SnsHttp | undefined;
}

/** The Hono environment of every route: the API key middleware's variables. */
export type AppEnv = ApiKeyEnv;
