import pino from 'pino';
import type { DestinationStream } from 'pino';
import { redactDeep, redact } from './redact.ts';

export type Logger = pino.Logger;
export { redactPath } from './redact.ts';

/**
 * JSON logs on stdout (or `destination`). Nothing logged carries a token, a key or a full
 * address: every string of every record, the message and errors included, is redacted by what
 * it looks like (src/redact.ts), so a new log line or an error path cannot leak one by accident.
 * The lines written while serving a request carry its id (`reqId`): the request line names it,
 * and code that logs for a request uses that request's child logger (src/routes/request-log.ts).
 */
export function createLogger(level: string, options: { destination?: DestinationStream | undefined } = {}): Logger {
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
    options.destination,
  );
}

/**
 * The server's stdout, written asynchronously: a line goes out at once when no write is under
 * way, and the lines that arrive while one is are joined into the next write. A quiet server
 * still shows each request as it happens; a busy one makes one write for many requests instead
 * of a blocking write per line. What is still buffered is written when the process exits (pino
 * flushes it synchronously on exit); a graceful stop waits for it with `flushLog`. A stdout that
 * stops taking lines neither stalls the server nor grows it without bound: past 16 MiB waiting,
 * lines are dropped.
 */
export function bufferedStdout(): DestinationStream {
  // minLength 1 rather than 0: the same writing, but flush() then waits for the write under way.
  return pino.destination({ dest: 1, sync: false, minLength: 1, maxLength: 16 * 1024 * 1024 });
}

/** Resolves once every line logged so far has been written (at once for a synchronous destination). */
export function flushLog(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}
