import pino from 'pino';
import type { DestinationStream } from 'pino';
import { redactDeep, redact } from './redact.ts';

export type Logger = pino.Logger;
export { redactPath } from './redact.ts';

/**
 * JSON logs on stdout (or `destination`). Nothing logged carries a token, a key or a full
 * address: every string of every record, the message and errors included, is redacted by what
 * it looks like (src/redact.ts), so a new log line or an error path cannot leak one by accident.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  // Epoch milliseconds (pino's default): an ISO string per line cost a twentieth of a request.
  return pino(
    {
      level,
      base: { service: 'optbox' },
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
