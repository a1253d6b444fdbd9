import { Hono } from 'hono';
import { changeOperator, createOperator, operatorOverview } from '../../core/operators.ts';
import { OptboxError } from '../../core/errors.ts';
import { OperatorsPage, type Invited } from '../../../views/admin/settings-operators.tsx';
import type { AppDeps } from '../context.ts';
import { param, type ConsoleContext, type ConsoleEnv, type ConsoleKit } from './kit.ts';

const NOTICES: Record<string, string> = {
  role: 'Role changed.',
  disabled: 'Operator disabled: their sessions have ended.',
  enabled: 'Operator enabled: they can sign in again.',
  unchanged: 'Nothing changed.',
};

/**
 * Operators (permission `operators`, an admin's): list, invite, change role, disable / enable.
 * An invitation's setup link is a credential: it is in the answer to the POST that made it and
 * nowhere else (not in a redirect, a URL or a log line; the audit line names only the role).
 */
export function createOperatorSettingsRoutes(deps: AppDeps, k: ConsoleKit) {
  const { core, config } = deps;
  const r = new Hono<ConsoleEnv>();
  const PAGE = '/admin/settings/operators';

  async function page(c: ConsoleContext, extra: { notice?: string | undefined; error?: string | undefined; invite?: { email: string; role: string }; invited?: Invited } = {}, status: 200 | 400 | 409 = 200) {
    return c.html(<OperatorsPage viewer={k.viewer(c)} selfId={k.operator(c).operatorId} rows={await operatorOverview(core)} {...extra} />, status);
  }
  /** invalid_input and conflict come back as the page with the message (400 / 409); anything else goes on (404 for an unknown id). */
  function refused(c: ConsoleContext, err: unknown, invite?: { email: string; role: string }) {
    if (err instanceof OptboxError && (err.code === 'invalid_input' || err.code === 'conflict')) {
      const problem = err.fields[0];
      return page(c, { error: problem ? `${problem.field === 'email' ? 'Address' : 'Role'}: ${problem.message}` : err.message, invite }, err.code === 'conflict' ? 409 : 400);
    }
    throw err;
  }

  k.add(r, 'GET', PAGE, 'operators', async (c) => page(c, { notice: NOTICES[c.req.query('done') ?? ''] }));

  k.add(r, 'POST', PAGE, 'operators', async (c) => {
    const body = c.get('form');
    const invite = { email: typeof body.email === 'string' ? body.email.trim().slice(0, 254) : '', role: typeof body.role === 'string' ? body.role.slice(0, 20) : '' };
    try {
      const created = await createOperator(core, { ...invite, minutes: config.admin.setupMinutes, actor: k.operator(c).operatorId });
      return await page(c, { notice: `${created.email} is invited as ${created.role}.`, invited: { email: created.email, role: created.role, setupUrl: created.setupUrl, minutes: config.admin.setupMinutes } });
    } catch (err) {
      return refused(c, err, invite);
    }
  });

  k.add(r, 'POST', `${PAGE}/:id/role`, 'operators', async (c) => {
    const role = c.get('form').role;
    try {
      const changed = await changeOperator(core, { id: param(c, 'id'), role: typeof role === 'string' ? role : '', actorId: k.operator(c).operatorId });
      return k.seeOther(c, `${PAGE}?done=${changed ? 'role' : 'unchanged'}`);
    } catch (err) {
      return refused(c, err);
    }
  });

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    k.add(r, 'POST', `${PAGE}/:id/${path}`, 'operators', async (c) => {
      try {
        const changed = await changeOperator(core, { id: param(c, 'id'), disabled, actorId: k.operator(c).operatorId });
        return k.seeOther(c, `${PAGE}?done=${changed ? (disabled ? 'disabled' : 'enabled') : 'unchanged'}`);
      } catch (err) {
        return refused(c, err);
      }
    });
  }

  return r;
}
