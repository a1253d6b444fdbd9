import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { redactPath, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { presetHeader } from './security-headers.ts';

/** An incoming X-Request-Id worth keeping: short, and only characters safe in a log or header. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Request variables (module-private keys): the request's id, and its logger once made. */
const ID = 'requestId';
const LOG = 'requestLogger';

/**
 * Every response and log line carries a request id: a caller's own X-Request-Id when it is
 * short and plain (a proxy's or load balancer's, so logs join up), otherwise a new one. When the
 * answer is ready, one log line (method, redacted path, status, time) and the metrics. The id
 * travels as a request variable, not in an AsyncLocalStorage: on Node 20 that enables async
 * hooks on every promise of every request, which cost a sixth of a one-click unsubscribe.
 */
export function requestLog(deps: { logger: Logger; metrics?: Metrics | undefined }): MiddlewareHandler {
  const { logger, metrics } = deps;
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set(ID as never, requestId as never);
    presetHeader(c, 'X-Request-Id', requestId);
    await next();
    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status;
    if (metrics) {
      const route = routePath(c, -1);
      // A route pattern, never the path (tokens, addresses); unmatched paths are one label.
      metrics.request(c.req.method, route.endsWith('*') ? 'unmatched' : route, status, seconds);
    }
    logger.info({ reqId: requestId, method: c.req.method, path: redactPath(c.req.path), status, ms: Math.round(seconds * 10_000) / 10 }, 'request');
  };
}

/**
 * The logger for code that logs while serving a request (an error, a mail that failed, work that
 * goes on after the answer): its lines carry the request's id. Made on first use, so a request
 * that logs nothing of its own pays nothing for it.
 */
export function requestLogger(c: Context, logger: Logger): Logger {
  let log = c.get(LOG as never) as Logger | undefined;
  if (!log) {
    const reqId = c.get(ID as never) as string | undefined;
    log = reqId === undefined ? logger : logger.child({ reqId });
    c.set(LOG as never, log as never);
  }
  return log;
}
