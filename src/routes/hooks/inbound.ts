import { Hono } from 'hono';
import { OptboxError } from '../../core/errors.ts';
import { takeInUnsubscribeMail } from '../../mail/inbound.ts';
import { requestLogger } from '../request-log.ts';
import { limitBody } from '../body-limit.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireBearer } from './auth.ts';

/**
 * POST /hooks/inbound: a raw RFC 5322 unsubscribe mail handed over by your MTA (a pipe, an
 * inbound-parse service), with `Authorization: Bearer INBOUND_TOKEN`. Answers 202 whatever the
 * mail held, so the answer tells nothing about who exists. 404 unless UNSUBSCRIBE_MAILTO and
 * INBOUND_TOKEN are set.
 */
export function createInboundRoutes(deps: AppDeps) {
  const token = deps.config.inbound.token;
  const enabled = !!token && !!deps.config.mail.unsubscribeMailto;
  return new Hono<AppEnv>().post('/', limitBody(deps.config.inbound.maxBytes, 'mail'), async (c) => {
    if (!enabled) throw new OptboxError('not_found', 'no such route');
    requireBearer(c.req.header('authorization'), token!);
    await takeInUnsubscribeMail({ ...deps, logger: requestLogger(c, deps.logger) }, Buffer.from(await c.req.arrayBuffer()));
    return c.json({ accepted: true }, 202);
  });
}
