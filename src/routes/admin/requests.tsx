import { Hono } from 'hono';
import {
  closePrivacyRequest,
  extendPrivacyRequest,
  fulfilPrivacyRequest,
  listPrivacyRequests,
  logPrivacyRequest,
  privacyRequestDossier,
  recordVerificationMail,
  refusePrivacyRequest,
  verificationFor,
  VERIFY_LINK_DAYS,
} from '../../core/privacy-requests.ts';
import { OptboxError } from '../../core/errors.ts';
import type { PrivacyRequestStatus } from '../../db/store.ts';
import { translator } from '../../i18n/messages.ts';
import { NewRequestPage, RequestListPage, RequestPage, STATUS_FILTERS } from '../../../views/admin/requests.tsx';
import { requestEvidence } from '../client-ip.ts';
import { requestLogger } from '../request-log.ts';
import type { AppDeps } from '../context.ts';
import { field, param, wholeQuery, type ConsoleContext, type ConsoleEnv, type ConsoleKit } from './kit.ts';

const NOTICES: Record<string, string> = {
  logged: 'Request logged. A verification link was mailed to the address.',
  'not-sent': 'Request logged, but no verification mail went out: the address is suppressed for all mail (bounce, complaint or erasure), or the mail server failed. Ask the person another way, or refuse the request.',
  resent: 'The verification link was mailed again.',
  extended: 'The deadline was extended by two months.',
  fulfilled: 'The request is fulfilled. Close it when the person has their answer.',
  refused: 'The request is refused. Close it when the person has been told why.',
  closed: 'The request is closed.',
};

/**
 * Privacy requests (GDPR arts. 12, 15–21): the register, logging one, and each step on it. The
 * steps are core verbs (src/core/privacy-requests.ts); this file validates, mails the
 * verification link and answers.
 */
export function createRequestRoutes(deps: AppDeps, k: ConsoleKit) {
  const { core } = deps;
  const r = new Hono<ConsoleEnv>();
  const page = (id: string, done: string) => `/admin/requests/${encodeURIComponent(id)}?done=${done}`;

  /** Mail the verification link in the person's language; false when it did not go out. */
  async function mailVerification(c: ConsoleContext, id: string): Promise<boolean> {
    const { token, to, kind } = await verificationFor(core, id);
    const log = requestLogger(c, deps.logger);
    const sent = await deps.mail.sendRequestVerification(to, token, translator(to.locale)(`privacy.kind.${kind}`), VERIFY_LINK_DAYS, log).catch((err: unknown) => {
      log.error({ err, request: id }, 'verification mail not sent');
      return false;
    });
    await recordVerificationMail(core, { id, sent, operatorId: k.operator(c).operatorId });
    return sent;
  }

  k.add(r, 'GET', '/admin/requests', 'read', async (c) => {
    const wanted = c.req.query('status') ?? '';
    const status = (STATUS_FILTERS as readonly string[]).includes(wanted) ? (wanted as PrivacyRequestStatus | 'overdue') : undefined;
    const list = await listPrivacyRequests(core, { status, page: wholeQuery(c, 'page') });
    return c.html(<RequestListPage viewer={k.viewer(c)} {...list} status={status ?? ''} now={core.clock.now()} />);
  });

  k.add(r, 'GET', '/admin/requests/new', 'read', (c) => c.html(<NewRequestPage viewer={k.viewer(c)} today={new Date(core.clock.now()).toISOString().slice(0, 10)} />));

  k.add(r, 'POST', '/admin/requests', 'requests', async (c) => {
    const body = c.get('form');
    const input = {
      kind: field(body, 'kind', { max: 20 }),
      channel: field(body, 'channel', { max: 20 }),
      email: field(body, 'email', { max: 254 }),
      note: field(body, 'note', { max: 2000, optional: true }),
      received: field(body, 'received', { max: 10, optional: true }),
    };
    let id: string;
    try {
      id = (await logPrivacyRequest(core, { ...input, operatorId: k.operator(c).operatorId })).id;
    } catch (err) {
      if (err instanceof OptboxError && err.code === 'invalid_input') {
        return c.html(<NewRequestPage viewer={k.viewer(c)} today={new Date(core.clock.now()).toISOString().slice(0, 10)} values={input} error={err.message} />, 400);
      }
      throw err;
    }
    return k.seeOther(c, page(id, (await mailVerification(c, id)) ? 'logged' : 'not-sent'));
  });

  k.add(r, 'GET', '/admin/requests/:id', 'read', async (c) => {
    const dossier = await privacyRequestDossier(core, param(c, 'id'));
    const done = c.req.query('done');
    return c.html(<RequestPage viewer={k.viewer(c)} {...dossier} now={core.clock.now()} notice={done ? NOTICES[done] : undefined} />);
  });

  k.add(r, 'POST', '/admin/requests/:id/resend', 'requests', async (c) => {
    const id = param(c, 'id');
    return k.seeOther(c, page(id, (await mailVerification(c, id)) ? 'resent' : 'not-sent'));
  });

  k.add(r, 'POST', '/admin/requests/:id/extend', 'requests', async (c) => {
    const reason = field(c.get('form'), 'reason', { max: 500 });
    await extendPrivacyRequest(core, { id: param(c, 'id'), reason, operatorId: k.operator(c).operatorId });
    return k.seeOther(c, page(param(c, 'id'), 'extended'));
  });

  k.add(r, 'POST', '/admin/requests/:id/fulfil', 'requests', async (c) => {
    const body = c.get('form');
    const days = field(body, 'days', { optional: true, max: 3 });
    const result = await fulfilPrivacyRequest(core, {
      id: param(c, 'id'),
      operatorId: k.operator(c).operatorId,
      request: requestEvidence(c),
      pauseDays: days ? Number(days) : undefined,
      newEmail: field(body, 'email', { optional: true, max: 254 }) || undefined,
      confirmErase: body.confirm === 'yes',
    });
    // Access and portability: the answer is the file itself (the same JSON the person downloads).
    if (result.export) {
      return c.body(JSON.stringify(result.export, null, 2) + '\n', 200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="request-${result.request.id}.json"`,
      });
    }
    return k.seeOther(c, page(result.request.id, 'fulfilled'));
  });

  k.add(r, 'POST', '/admin/requests/:id/refuse', 'requests', async (c) => {
    const reason = field(c.get('form'), 'reason', { max: 500 });
    await refusePrivacyRequest(core, { id: param(c, 'id'), reason, operatorId: k.operator(c).operatorId });
    return k.seeOther(c, page(param(c, 'id'), 'refused'));
  });

  k.add(r, 'POST', '/admin/requests/:id/close', 'requests', async (c) => {
    await closePrivacyRequest(core, { id: param(c, 'id'), operatorId: k.operator(c).operatorId });
    return k.seeOther(c, page(param(c, 'id'), 'closed'));
  });

  return r;
}
