import type { Config } from '../config.ts';
import type { CoreDeps } from '../core/deps.ts';
import type { ApiKeyRow } from '../db/store.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/transport.ts';
import type { Metrics } from '../metrics.ts';
import type { SnsHttp } from './hooks/sns.ts';

/** What every area factory is given: the core, the parsed config, a logger. */
export interface AppDeps {
  core: CoreDeps;
  config: Config;
  logger: Logger;
  /** Transport for optbox's own mails (sign-in links, confirmations); built from config when absent. */
  mailer?: Mailer | undefined;
  /** Prometheus metrics of this runtime; absent: nothing is counted and /metrics answers 404. */
  metrics?: Metrics | undefined;
  /** How /hooks/ses reaches SNS (certificates, subscription confirmation); absent: the real AWS rule. */
  snsHttp?: SnsHttp | undefined;
  /** Runs a request with its id, so every log line of it carries the id. */
  requestContext?: RequestContext | undefined;
}

/** The request id of the request being served, for log lines (see logger.ts). */
export interface RequestContext {
  run<T>(requestId: string, fn: () => T): T;
}

export interface AppEnv {
  Variables: {
    apiKey: ApiKeyRow;
  };
}
