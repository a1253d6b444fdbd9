import { createHash, randomBytes } from 'node:crypto';
import type { OperatorChange, OperatorRole, OperatorRow } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { invalidInput, invalidLink, notFound, OptboxError } from './errors.ts';

/** How passwords are hashed and checked (argon2id in src/auth/passwords.ts); passed in so core stays free of it. */
export interface PasswordCheck {
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<boolean>;
  /** Spend the time of one verify against no account (unknown addresses answer as slowly as known ones). */
  verifyNothing(password: string): Promise<void>;
}

export const OPERATOR_ROLE_NAMES: readonly OperatorRole[] = ['admin', 'privacy', 'viewer'];
const MIN_PASSWORD = 12;
const MAX_PASSWORD = 200;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
const setupUrl = (deps: CoreDeps, token: string) => `${deps.publicUrl}/admin/setup/${token}`;

/**
 * First start with no operator: a single-use link that creates the first admin. Null when an
 * operator exists. Each call replaces the earlier first-run link, so only the one printed at the
 * latest start works (it is printed once, to the server's stderr: see the README).
 */
export async function firstRunSetupLink(deps: CoreDeps, input: { minutes: number }): Promise<string | null> {
  const token = newToken();
  const now = deps.clock.now();
  const made = await deps.store.operators.newFirstRunLink({ tokenHash: hashToken(token), expiresAt: now + input.minutes * 60_000, at: now });
  return made ? setupUrl(deps, token) : null;
}

/** A new operator with a role; they choose their password by following the returned setup link. */
export async function createOperator(deps: CoreDeps, input: { email: string; role: string; minutes: number; actor: string | null }): Promise<{ id: string; email: string; role: OperatorRole; setupUrl: string }> {
  const email = normalizeEmail(input.email);
  if (!(OPERATOR_ROLE_NAMES as readonly string[]).includes(input.role)) throw invalidInput('role', `must be one of ${OPERATOR_ROLE_NAMES.join(', ')}`);
  const role = input.role as OperatorRole;
  const token = newToken();
  const id = 'op_' + randomBytes(9).toString('base64url');
  const now = deps.clock.now();
  const result = await deps.store.operators.create({ operator: { id, email, role }, at: now, setup: { tokenHash: hashToken(token), expiresAt: now + input.minutes * 60_000 }, actor: input.actor });
  if (result === 'exists') throw new OptboxError('conflict', 'email: an operator with this address exists', [{ field: 'email', message: 'an operator with this address exists' }]);
  return { id, email, role, setupUrl: setupUrl(deps, token) };
}

/** What a setup link is for (GET shows the form; nothing is used up). */
export async function setupLinkFor(deps: CoreDeps, token: string): Promise<{ operator: OperatorRow | null }> {
  const link = await deps.store.operators.setupLink(hashToken(token), deps.clock.now());
  if (!link) throw invalidLink('setup link unknown, used or expired');
  return link;
}

/** Use a setup link once: choose the password (and, for the first-run link, the admin's address). */
export async function completeOperatorSetup(deps: CoreDeps, passwords: PasswordCheck, input: { token: string; email?: string | undefined; password: string; repeat: string }): Promise<OperatorRow> {
  const link = await setupLinkFor(deps, input.token);
  const email = link.operator ? link.operator.email : normalizeEmail(input.email ?? '');
  checkNewPassword(input.password, input.repeat);
  const operator = await deps.store.operators.completeSetup({
    tokenHash: hashToken(input.token),
    at: deps.clock.now(),
    passwordHash: await passwords.hash(input.password),
    firstRun: { id: 'op_' + randomBytes(9).toString('base64url'), email },
  });
  if (!operator) throw invalidLink('setup link unknown, used or expired');
  return operator;
}

function checkNewPassword(password: string, repeat: string) {
  if (password.length < MIN_PASSWORD) throw invalidInput('password', `must be at least ${MIN_PASSWORD} characters`);
  if (password.length > MAX_PASSWORD) throw invalidInput('password', `must be at most ${MAX_PASSWORD} characters`);
  if (password !== repeat) throw invalidInput('repeat', 'does not match the password');
}

/**
 * The operator for an address and password, or null. An unknown address, a disabled operator
 * or one without a password still runs one argon2 verify, so the answer time does not tell
 * which addresses are operators.
 */
export async function checkOperatorPassword(deps: CoreDeps, passwords: PasswordCheck, input: { email: string; password: string }): Promise<OperatorRow | null> {
  let email: string;
  try {
    email = normalizeEmail(input.email);
  } catch {
    email = '';
  }
  const operator = email ? await deps.store.operators.byEmail(email) : undefined;
  const usable = operator && operator.passwordHash && operator.disabledAt === null ? operator : undefined;
  if (!usable) {
    await passwords.verifyNothing(input.password.slice(0, MAX_PASSWORD));
    return null;
  }
  const ok = await passwords.verify(usable.passwordHash!, input.password.slice(0, MAX_PASSWORD));
  const at = deps.clock.now();
  await deps.store.operators.audit({ at, operatorId: usable.id, action: ok ? 'signin' : 'signin.failed' });
  return ok ? usable : null;
}

export async function recordAudit(deps: CoreDeps, input: { operatorId: string; action: string; target?: string | undefined; detail?: Record<string, unknown> | undefined }): Promise<void> {
  await deps.store.operators.audit({ at: deps.clock.now(), operatorId: input.operatorId, action: input.action, target: input.target ?? null, detail: input.detail ?? null });
}

export async function operatorSessionList(deps: CoreDeps) {
  return deps.store.operators.allSessions();
}

/** End a session: an admin may end anyone's, others only their own. */
export async function revokeOperatorSession(deps: CoreDeps, input: { sessionId: string; actor: { id: string; role: OperatorRole } }): Promise<void> {
  const gone = await deps.store.operators.revokeSession({ sessionId: input.sessionId, ownerId: input.actor.role === 'admin' ? null : input.actor.id, at: deps.clock.now(), actor: input.actor.id });
  if (!gone) throw new OptboxError('not_found', 'session not found');
}

export async function operatorList(deps: CoreDeps) {
  return deps.store.operators.list();
}

export type OperatorStatus = 'active' | 'invited' | 'disabled';

/** Every operator with their status and last sign-in (from the audit log), for the operator settings. */
export async function operatorOverview(deps: CoreDeps): Promise<Array<{ operator: OperatorRow; status: OperatorStatus; lastSignIn: number | null }>> {
  const [rows, signIns] = await Promise.all([deps.store.operators.list(), deps.store.operators.lastSignIns()]);
  const last = new Map(signIns.map((s) => [s.operatorId, s.at]));
  return rows.map((operator) => ({
    operator,
    status: operator.disabledAt !== null ? 'disabled' : operator.passwordHash === null ? 'invited' : 'active',
    lastSignIn: last.get(operator.id) ?? null,
  }));
}

/**
 * Change another operator's role, or disable / enable them. Nobody changes their own role or
 * disables themselves (a slip would lock them out mid-task; another admin does it), and the
 * installation always keeps an enabled admin who can sign in (checked in the store's unit, so
 * two admins demoting each other at once cannot both succeed). Disabling ends the operator's
 * sessions at once. Audited in the same unit.
 */
export async function changeOperator(deps: CoreDeps, input: { id: string; role?: string | undefined; disabled?: boolean | undefined; actorId: string }): Promise<boolean> {
  let change: OperatorChange;
  if (input.role !== undefined) {
    if (!(OPERATOR_ROLE_NAMES as readonly string[]).includes(input.role)) throw invalidInput('role', `must be one of ${OPERATOR_ROLE_NAMES.join(', ')}`);
    change = { role: input.role as OperatorRole };
  } else if (input.disabled !== undefined) change = { disabled: input.disabled };
  else throw invalidInput('role', 'is required');
  if (input.id === input.actorId) throw new OptboxError('conflict', 'role' in change ? 'you cannot change your own role: ask another admin' : 'you cannot disable yourself: ask another admin');
  const result = await deps.store.operators.change({ id: input.id, change, at: deps.clock.now(), actor: input.actorId });
  if (result === 'missing') throw notFound('operator');
  if (result === 'last-admin') throw new OptboxError('conflict', 'this is the last enabled admin: make someone else admin first, so the installation keeps one');
  return result === 'changed';
}

export async function auditLog(deps: CoreDeps, limit = 100) {
  return deps.store.operators.recentAudit(limit);
}
