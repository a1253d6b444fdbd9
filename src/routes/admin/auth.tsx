import { Hono } from 'hono';
import { OptboxError } from '../../core/errors.ts';
import { auditLog, checkOperatorPassword, completeOperatorSetup, operatorSessionList, revokeOperatorSession, setupLinkFor } from '../../core/operators.ts';
import { SessionsPage, SetupPage, SignInPage } from '../../../views/admin/auth.tsx';
import { clientIp } from '../client-ip.ts';
import type { AppDeps } from '../context.ts';
import { field, param, type ConsoleContext, type ConsoleEnv, type ConsoleKit } from './kit.ts';

/** Sign-in, first-run and invited setup, sign-out, and the session list with the audit log. */
export function createConsoleAuthRoutes(deps: AppDeps, k: ConsoleKit) {
  const { core } = deps;
  const r = new Hono<ConsoleEnv>();

  async function startSession(c: ConsoleContext, operatorId: string) {
    const old = c.get('operator');
    if (old) await k.auth.end(old.id); // a new id after sign-in (no fixation)
    const ip = clientIp(c);
    const ua = c.req.header('user-agent');
    const { cookie } = await k.auth.start(operatorId, { createdAt: core.clock.now(), ipHash: ip ? core.evidenceHash(ip) : null, userAgent: ua ? ua.slice(0, 120) : null });
    c.header('Set-Cookie', cookie, { append: true });
  }

  k.add(r, 'GET', '/admin/login', 'public', (c) => (c.get('operator') ? k.seeOther(c, '/admin') : c.html(<SignInPage />)));

  k.add(r, 'POST', '/admin/login', 'public', async (c) => {
    const body = c.get('form');
    const email = field(body, 'email', { max: 254 }).toLowerCase();
    const password = typeof body.password === 'string' ? body.password : '';
    await k.takeSignIn(clientIp(c), email);
    const operator = await checkOperatorPassword(core, k.passwords, { email, password });
    if (!operator) return c.html(<SignInPage error="That address and password do not match an operator." email={email} />, 401);
    await startSession(c, operator.id);
    return k.seeOther(c, '/admin');
  });

  k.add(r, 'POST', '/admin/logout', 'self', async (c) => {
    const operator = k.operator(c);
    c.header('Set-Cookie', await k.auth.end(operator.id), { append: true });
    return k.seeOther(c, '/admin/login');
  });

  k.add(r, 'GET', '/admin/setup/:token', 'public', async (c) => {
    const link = await setupLinkFor(core, param(c, 'token'));
    return c.html(<SetupPage email={link.operator?.email ?? null} action={`/admin/setup/${param(c, 'token')}`} />);
  });

  k.add(r, 'POST', '/admin/setup/:token', 'public', async (c) => {
    const body = c.get('form');
    const token = param(c, 'token');
    const str = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    try {
      const operator = await completeOperatorSetup(core, k.passwords, { token, email: str('email'), password: str('password'), repeat: str('repeat') });
      await startSession(c, operator.id);
      return k.seeOther(c, '/admin');
    } catch (err) {
      if (err instanceof OptboxError && err.code === 'invalid_input') {
        const link = await setupLinkFor(core, token);
        return c.html(<SetupPage email={link.operator?.email ?? null} action={`/admin/setup/${token}`} error={err.message} />, 400);
      }
      throw err;
    }
  });

  k.add(r, 'GET', '/admin/sessions', 'read', async (c) => {
    const me = k.operator(c);
    const all = await operatorSessionList(core);
    const visible = me.role === 'admin' ? all : all.filter((s) => s.userId === me.operatorId);
    return c.html(
      <SessionsPage
        viewer={k.viewer(c)}
        sessions={visible.map((s) => ({ id: s.id, email: s.email, createdAt: s.createdAt, expiresAt: s.expiresAt * 1000, userAgent: s.userAgent, current: s.id === me.id, revocable: true }))}
        audit={me.role === 'admin' ? await auditLog(core, 100) : []}
        notice={c.req.query('done') === 'revoked' ? 'The session was ended.' : undefined}
      />,
    );
  });

  k.add(r, 'POST', '/admin/sessions/:id/revoke', 'self', async (c) => {
    const me = k.operator(c);
    await revokeOperatorSession(core, { sessionId: param(c, 'id'), actor: { id: me.operatorId, role: me.role } });
    if (param(c, 'id') === me.id) return k.seeOther(c, '/admin/login');
    return k.seeOther(c, '/admin/sessions?done=revoked');
  });

  return r;
}
