import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs on stdout. Nothing logged carries a token or a full address (see redactPath). */
export function createLogger(level: string): Logger {
  // Epoch milliseconds (pino's default): an ISO string per line cost a twentieth of a request.
  return pino({ level, base: { service: 'optbox' } });
}

/**
 * A path fit for logs: the link tokens in /u/… and /p/… are credentials and are cut out, and so
 * is any path segment holding an address (the API's /suppressions/:email).
 */
export function redactPath(path: string): string {
  if (!/^\/(u|p|preferences)\/|@|%40/i.test(path)) return path; // the common case: nothing to cut
  return path.replace(/^\/(u|p)\/[^/?#]+/, '/$1/:token').replace(/^(\/preferences\/(?:signin|confirm|email\/confirm))\/[^/?#]+/, '$1/:token').replace(/\/[^/?#]*(@|%40)[^/?#]*/gi, '/:email');
}
