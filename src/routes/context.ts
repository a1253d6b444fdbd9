import type { Config } from '../config.ts';
import type { CoreDeps } from '../core/deps.ts';
import type { ApiKeyRow } from '../db/store.ts';
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

export interface AppEnv {
  Variables: {
    apiKey: ApiKeyRow;
    /** The client's address (routes/client-ip.ts): the socket peer, or X-Forwarded-For behind TRUST_PROXY. */
    clientIp: string | undefined;
  };
}
