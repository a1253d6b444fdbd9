import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import type { DestinationStream } from 'pino';
import { redactDeep, redact } from './redact.ts';

export type Logger = pino.Logger;
export { redactPath } from './redact.ts';

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

/**
 * JSON logs on stdout (or `destination`), each line carrying the id of the request it was
 * written for (`requests`). Nothing logged carries a token, a key or a full
 * address: every string of every record, the message and errors included, is redacted by what
 * it looks like (src/redact.ts), so a new log line or an error path cannot leak one by accident.
 */
export function createLogger(level: string, options: { requests?: RequestIdContext | undefined; destination?: DestinationStream | undefined } = {}): Logger {
  const { requests, destination } = options;
  // Epoch milliseconds (pino's default): an ISO string per line cost a twentieth of a request.
  return pino(
    {
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
      formatters: { log: (record) => redactDeep(record) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
