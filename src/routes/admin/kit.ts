import type { Context, Handler, Hono, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { createOperatorAuth, type OperatorSession } from '../../auth/operators.ts';
import { createPasswordHasher, type PasswordHasher } from '../../auth/passwords.ts';
import { perWindow, requireRateLimits } from '../../core/rate-limits.ts';
import { allows, type Permission } from '../../auth/roles.ts';
import { invalidInput, OptboxError } from '../../core/errors.ts';
import { operatorSessionStorage } from '../../core/sessions.ts';
import type { ConsoleViewer } from '../../../views/admin/layout.tsx';
import type { AppDeps } from '../context.ts';
import { readForm, type FormBody } from '../form.ts';

export type { FormBody };


export interface ConsoleEnv {
  Variables: {
    operator: OperatorSession | null;
    form: FormBody;
  };
}

export type ConsoleContext = Context<ConsoleEnv>;
type Method = 'GET' | 'POST';

/**
 * What every console route file shares, built once per app: operator sessions, the password
 * hasher, sign-in limits, and `add`, which registers a route together with the permission it
 * needs. The registry is how the authorization test finds every route (a route cannot be added
 * without saying who may use it).
 */
export function createConsoleKit(deps: AppDeps, options: { passwords?: PasswordHasher | undefined } = {}) {
  const { core, config } = deps;
  const auth = createOperatorAuth(operatorSessionStorage(core), {
    secure: config.publicUrl.startsWith('https:'),
    idleMinutes: config.admin.sessionIdleMinutes,
    absoluteHours: config.admin.sessionMaxHours,
  });
  const window = 15 * 60_000;
  const perAddress = perWindow(config.admin.loginLimit, window);
  const perIp = perWindow(config.admin.loginLimit * 3, window);
  /** Count one sign-in attempt from this IP for this address; rate_limited over either limit (buckets named by keyed hashes). */
  const takeSignIn = (ip: string | undefined, email: string) =>
    requireRateLimits(core, [[`console-ip:${core.evidenceHash(ip ?? 'unknown')}`, perIp], [`console-address:${core.evidenceHash(email)}`, perAddress]], 'too many sign-in attempts; wait a quarter of an hour');
  const permissions = new Map<string, Permission>();
  /** The form token of a session: a keyed hash of its id (never stored, never the id itself). */
  const csrfToken = (session: OperatorSession) => core.evidenceHash(`console-csrf\0${session.id}`);

  /** Loads the operator session (never a subscriber's) and marks every console answer private. */
  const session: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    const result = await auth.validate(c.req.header('cookie'), core.clock.now());
    if (result.cookie) c.header('Set-Cookie', result.cookie, { append: true });
    c.set('operator', result.session);
    // Personal data: never in a shared or browser cache. Forms need a real Origin (no-referrer sends "null").
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'same-origin');
    await next();
  };

  const publicOrigin = new URL(config.publicUrl).origin;
  /** Every console POST must come from this site (Origin / Sec-Fetch-Site), on top of SameSite=Strict and the form token. */
  const sameOrigin = csrf({ origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin });

  function guard(permission: Permission, method: Method, streamed: boolean): MiddlewareHandler<ConsoleEnv> {
    return async (c, next) => {
      if (permission !== 'public') {
        const operator = c.get('operator');
        if (!operator) {
          if (method === 'GET') {
            c.header('Cache-Control', 'no-store');
            return c.redirect('/admin/login', 303);
          }
          throw new OptboxError('unauthorized', 'sign in first');
        }
        if (!allows(operator.role, permission)) throw new OptboxError('forbidden', `your role (${operator.role}) may not do this`);
      }
      // A streamed upload checks its token itself (the field before the file: see suppressions.tsx).
      if (method === 'POST' && !streamed) {
        const body = await readForm(c);
        const operator = c.get('operator');
        if (operator && body._csrf !== csrfToken(operator)) throw new OptboxError('forbidden', 'the form has expired: reload the page and try again');
        c.set('form', body);
      }
      await next();
    };
  }

  return {
    auth,
    passwords: options.passwords ?? createPasswordHasher(),
    takeSignIn,
    permissions,
    session,
    sameOrigin,
    csrfToken,
    /** Register a console route with the permission it needs (see src/auth/roles.ts). */
    add(router: Hono<ConsoleEnv>, method: Method, path: string, permission: Permission, handler: Handler<ConsoleEnv>, options: { streamed?: boolean } = {}) {
      permissions.set(`${method} ${path}`, permission);
      router.on(method, path, guard(permission, method, options.streamed ?? false), handler);
    },
    /** The signed-in operator, for a route that has passed its guard. */
    operator(c: ConsoleContext): OperatorSession {
      const operator = c.get('operator');
      if (!operator) throw new OptboxError('unauthorized', 'sign in first');
      return operator;
    },
    viewer(c: ConsoleContext): ConsoleViewer {
      const operator = c.get('operator')!;
      return {
        email: operator.email,
        role: operator.role,
        csrf: csrfToken(operator),
        can: { contacts: allows(operator.role, 'contacts'), requests: allows(operator.role, 'requests'), suppressions: allows(operator.role, 'suppressions'), settings: allows(operator.role, 'settings'), operators: allows(operator.role, 'operators') },
      };
    },
    /** A ledger/audit actor for the operator: their id, never their address (the ledger is kept forever). */
    actor: (c: ConsoleContext) => `operator:${c.get('operator')!.operatorId}`,
    seeOther(c: ConsoleContext, path: string) {
      return c.redirect(path, 303);
    },
  };
}

export type ConsoleKit = ReturnType<typeof createConsoleKit>;

/** One text field of a form, trimmed; invalid_input naming the field when absent or too long. */
export function field(body: FormBody, name: string, options: { max?: number; optional?: boolean } = {}): string {
  const v = body[name];
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s && !options.optional) throw invalidInput(name, 'is required');
  if (s.length > (options.max ?? 500)) throw invalidInput(name, 'is too long');
  return s;
}

/**
 * A whole-number query parameter (a page number, a keyset cursor), or undefined for anything
 * else: a mangled bookmark shows the first page, as a bad filter shows "any", not an error.
 */
export function wholeQuery(c: ConsoleContext, name: string): number | undefined {
  const v = c.req.query(name);
  return v && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}

/** A path parameter of a console route (registered through `add`, so Hono cannot type it). */
export function param(c: ConsoleContext, name: string): string {
  const v = c.req.param(name) as string | undefined;
  if (!v) throw new OptboxError('not_found', 'no such page');
  return v;
}
