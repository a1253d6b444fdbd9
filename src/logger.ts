import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * The id of the request being served, for every log line written while serving it (a pino
 * mixin reads it). One per runtime; nothing module-wide.
 */
export function createRequestContext() {
  const store = new AsyncLocalStorage<string>();
  return {
    run: <T>(requestId: string, fn: () => T): T => store.run(requestId, fn),
    current: (): string | undefined => store.getStore(),
  };
}
export type RequestIdContext = ReturnType<typeof createRequestContext>;

/** JSON logs on stdout. Nothing logged carries a token or a full address (see redactPath). */
export function createLogger(level: string, requests?: RequestIdContext): Logger {
  // Epoch milliseconds (pino's default): an ISO string per line cost a twentieth of a request.
  return pino({
    level,
    base: { service: 'optbox' },
    ...(requests
      ? {
          mixin() {
            const reqId = requests.current();
            return reqId === undefined ? {} : { reqId };
          },
        }
      : {}),
  });
}

/**
 * A path fit for logs: the link tokens in /u/… and /p/… are credentials and are cut out, and so
 * is any path segment holding an address (the API's /suppressions/:email).
 */
export function redactPath(path: string): string {
  if (!/^\/(u|p|preferences)\/|@|%40/i.test(path)) return path; // the common case: nothing to cut
  return path.replace(/^\/(u|p)\/[^/?#]+/, '/$1/:token').replace(/^(\/preferences\/(?:signin|confirm|email\/confirm))\/[^/?#]+/, '$1/:token').replace(/\/[^/?#]*(@|%40)[^/?#]*/gi, '/:email');
}
