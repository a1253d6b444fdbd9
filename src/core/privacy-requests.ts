import { randomBytes } from 'node:crypto';
import type { AuditEventRow, ContactRow, PrivacyRequestRow, PrivacyRequestStatus } from '../db/store.ts';
import { isActive } from './contact.ts';
import { updateContact } from './contacts.ts';
import type { CoreDeps, RequestEvidence } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { eraseContact } from './erasure.ts';
import { invalidInput, invalidLink, notFound, OptboxError } from './errors.ts';
import { evidenceOf } from './evidence.ts';
import { exportContactData } from './preferences.ts';
import { deadlineOf, newRequestId, REQUEST_KINDS, type RequestKind } from './privacy-register.ts';

export { deadlineOf, REQUEST_KINDS, type RequestKind } from './privacy-register.ts';

/** How a request reached the controller (the privacy statement names a mailbox; people also write, call or visit). */
export const REQUEST_CHANNELS = ['mail', 'letter', 'phone', 'in-person', 'other'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

/** How long a verification link works. Long enough for a letter-writer to find their mail, short enough not to linger. */
export const VERIFY_LINK_DAYS = 14;
const DAY = 86_400_000;
/** Requests per page of the register. Offset paging: a register holds hundreds a year, not millions. */
export const REQUESTS_PER_PAGE = 100;
const MAX_PAGE = 100_000;

const OPEN: readonly PrivacyRequestStatus[] = ['awaiting-verification', 'verified'];

export const isOpenRequest = (r: Pick<PrivacyRequestRow, 'status'>) => OPEN.includes(r.status);
export const isOverdue = (r: Pick<PrivacyRequestRow, 'status' | 'dueAt'>, now: number) => isOpenRequest(r) && r.dueAt < now;

const actorOf = (operatorId: string) => `operator:${operatorId}`;

function pick<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw invalidInput(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** The received date an operator gives (YYYY-MM-DD, UTC): today means now; never in the future. */
function receivedAtOf(deps: CoreDeps, day: string | undefined): number {
  const now = deps.clock.now();
  if (!day) return now;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !Number.isFinite(Date.parse(day))) throw invalidInput('received', 'must be a date (YYYY-MM-DD)');
  const at = Date.parse(day);
  if (at > now) throw invalidInput('received', 'lies in the future');
  return Math.floor(now / DAY) * DAY === at ? now : at;
}

export interface LogRequestInput {
  kind: string;
  channel: string;
  email: string;
  note?: string | undefined;
  received?: string | undefined;
  operatorId: string;
}

/** Log a request that reached the privacy mailbox (or by letter, phone, in person); it waits for the person to verify the address. */
export async function logPrivacyRequest(deps: CoreDeps, input: LogRequestInput): Promise<PrivacyRequestRow> {
  const kind = pick(input.kind, REQUEST_KINDS, 'kind');
  const channel = pick(input.channel, REQUEST_CHANNELS, 'channel');
  const email = normalizeEmail(input.email);
  const receivedAt = receivedAtOf(deps, input.received);
  const contact = await deps.store.contacts.byEmail(email);
  const id = newRequestId();
  return deps.store.privacyRequests.create(
    {
      id,
      kind,
      channel,
      email,
      contactId: contact?.id ?? null,
      locale: contact?.locale ?? 'nl',
      note: input.note || null,
      status: 'awaiting-verification',
      receivedAt,
      dueAt: deadlineOf(receivedAt, 1),
      createdBy: input.operatorId,
    },
    { at: deps.clock.now(), operatorId: input.operatorId, action: 'request.log', target: id, detail: { kind, channel } },
  );
}

export async function privacyRequestById(deps: CoreDeps, id: string): Promise<PrivacyRequestRow> {
  const row = await deps.store.privacyRequests.byId(id);
  if (!row) throw notFound('request');
  return row;
}

/**
 * One page of the register (pages count from 1): filtered by status, or `overdue`; open ones
 * first, the most overdue on top. `more` says whether a next page exists.
 */
export async function listPrivacyRequests(deps: CoreDeps, filter: { status?: PrivacyRequestStatus | 'overdue' | undefined; page?: number | undefined }): Promise<{ rows: PrivacyRequestRow[]; page: number; more: boolean }> {
  // Past MAX_PAGE is past any register's end: the offset stays a safe integer.
  const page = Math.min(Math.max(1, Math.floor(filter.page ?? 1)), MAX_PAGE);
  const window = { limit: REQUESTS_PER_PAGE + 1, offset: (page - 1) * REQUESTS_PER_PAGE };
  const rows = filter.status === 'overdue' ? await deps.store.privacyRequests.list({ overdueAt: deps.clock.now(), ...window }) : await deps.store.privacyRequests.list({ status: filter.status, ...window });
  return { rows: rows.slice(0, REQUESTS_PER_PAGE), page, more: rows.length > REQUESTS_PER_PAGE };
}

export async function overdueRequestCount(deps: CoreDeps): Promise<number> {
  return deps.store.privacyRequests.countOverdue(deps.clock.now());
}

/** A request with the contact it is about and its audit trail, for its page. */
export async function privacyRequestDossier(deps: CoreDeps, id: string): Promise<{ request: PrivacyRequestRow; contact: ContactRow | null; history: Array<AuditEventRow & { email: string | null }> }> {
  const request = await privacyRequestById(deps, id);
  const [contact, history] = await Promise.all([request.contactId ? deps.store.contacts.byId(request.contactId) : Promise.resolve(undefined), deps.store.privacyRequests.history(id)]);
  return { request, contact: contact ?? null, history };
}

/**
 * A verification link for a request still awaiting it (the caller mails it), and the address
 * and language to mail it to. Mail gets forwarded, and a request could be made in someone
 * else's name: the request proceeds only once the link mailed to the address was followed.
 */
export async function verificationFor(deps: CoreDeps, id: string): Promise<{ token: string; kind: RequestKind; to: { email: string; locale: 'nl' | 'en' } }> {
  const request = await privacyRequestById(deps, id);
  if (request.status !== 'awaiting-verification' || !request.email) throw new OptboxError('conflict', 'the request is not awaiting verification');
  const token = deps.tokens.sign('privacy', { requestId: request.id }, { expiresInSeconds: VERIFY_LINK_DAYS * 86_400 });
  return { token, kind: request.kind, to: { email: request.email, locale: request.locale } };
}

/** Record that the verification mail went out (or was refused by the suppression list). */
export async function recordVerificationMail(deps: CoreDeps, input: { id: string; sent: boolean; operatorId: string }): Promise<void> {
  const at = deps.clock.now();
  await deps.store.privacyRequests.step({
    id: input.id,
    from: ['awaiting-verification'],
    set: input.sent ? { verificationSentAt: at } : {},
    audit: { at, operatorId: input.operatorId, action: input.sent ? 'request.verification-sent' : 'request.verification-not-sent', target: input.id, detail: input.sent ? null : { why: 'address suppressed for all mail' } },
  });
}

/** The request a verification link is for (the GET page in front of the button; nothing changes). */
export async function requestOfVerificationLink(deps: CoreDeps, token: string): Promise<PrivacyRequestRow> {
  const { requestId } = deps.tokens.verify(token, 'privacy');
  const request = await deps.store.privacyRequests.byId(requestId);
  if (!request) throw invalidLink('request unknown');
  return request;
}

/** Follow a verification link (POST): the request may proceed. Idempotent: a second follow changes nothing. */
export async function verifyPrivacyRequest(deps: CoreDeps, token: string): Promise<PrivacyRequestRow> {
  const request = await requestOfVerificationLink(deps, token);
  if (request.status !== 'awaiting-verification') return request;
  const at = deps.clock.now();
  const row = await deps.store.privacyRequests.step({ id: request.id, from: ['awaiting-verification'], set: { status: 'verified', verifiedAt: at }, audit: { at, operatorId: null, action: 'request.verified', target: request.id } });
  return row ?? (await privacyRequestById(deps, request.id));
}

/** Art. 12(3): extend the deadline once, by two further months, with the reason recorded. */
export async function extendPrivacyRequest(deps: CoreDeps, input: { id: string; reason: string; operatorId: string }): Promise<PrivacyRequestRow> {
  const request = await privacyRequestById(deps, input.id);
  if (request.extendedAt !== null) throw new OptboxError('conflict', 'the deadline was extended before: art. 12(3) allows it once');
  if (!isOpenRequest(request)) throw new OptboxError('conflict', 'the request was answered');
  if (!input.reason) throw invalidInput('reason', 'is required');
  const at = deps.clock.now();
  const row = await deps.store.privacyRequests.step({
    id: request.id,
    from: OPEN,
    set: { extendedAt: at, extensionReason: input.reason, dueAt: deadlineOf(request.receivedAt, 3) },
    audit: { at, operatorId: input.operatorId, action: 'request.extend', target: request.id, detail: { reason: input.reason } },
  });
  if (!row || row.extendedAt !== at) throw new OptboxError('conflict', 'the request changed meanwhile; reload the page');
  return row;
}

export interface FulfilInput {
  id: string;
  operatorId: string;
  request?: RequestEvidence | undefined;
  /** Restriction: pause for this many days. */
  pauseDays?: number | undefined;
  /** Rectification: the corrected address. */
  newEmail?: string | undefined;
  /** Erasure: the operator ticked the box (erasure cannot be undone). */
  confirmErase?: boolean | undefined;
}

export type ContactExport = Awaited<ReturnType<typeof exportContactData>>;

/**
 * Fulfil a verified request with the one action its kind calls for, as the operator (the ledger
 * names them as actor, source `admin`): access and portability → the same JSON export the
 * person downloads in the preference center (arts. 15, 20); erasure (art. 17); restriction →
 * pause all mail (art. 18); objection → no profiling (art. 21); rectification → the address
 * changed (art. 16). A request about an address optbox holds nothing for is fulfilled by saying
 * so (`no-data`; for access, an export that says so).
 */
export async function fulfilPrivacyRequest(deps: CoreDeps, input: FulfilInput): Promise<{ request: PrivacyRequestRow; export?: ContactExport | NoDataExport }> {
  const request = await privacyRequestById(deps, input.id);
  if (request.status !== 'verified') throw new OptboxError('conflict', request.status === 'awaiting-verification' ? 'the person has not verified the address yet' : 'the request was answered');
  const contact = request.contactId ? await deps.store.contacts.byId(request.contactId) : undefined;
  const by = { source: 'admin' as const, actor: actorOf(input.operatorId), request: input.request };
  let fulfilment: string;
  let data: ContactExport | NoDataExport | undefined;
  const detail: Record<string, unknown> = {};
  if (!isActive(contact)) {
    if (request.kind === 'rectification') throw new OptboxError('conflict', 'optbox holds no contact for this address: there is nothing to rectify; refuse the request with that reason');
    fulfilment = 'no-data';
    if (request.kind === 'access' || request.kind === 'portability') data = noDataExport(deps, request);
  } else {
    switch (request.kind) {
      case 'access':
      case 'portability':
        data = await exportContactData(deps, { contactId: contact.id, ...by });
        fulfilment = 'export';
        break;
      case 'erasure':
        if (!input.confirmErase) throw invalidInput('confirm', 'tick the box to erase');
        await eraseContact(deps, { contactId: contact.id, ...by });
        fulfilment = 'erase';
        break;
      case 'restriction': {
        const days = input.pauseDays ?? 365;
        if (![30, 90, 365].includes(days)) throw invalidInput('days', 'must be 30, 90 or 365');
        await updateContact(deps, { id: contact.id, pausedUntil: deps.clock.now() + days * DAY, ...by });
        fulfilment = 'pause';
        detail.days = days;
        break;
      }
      case 'objection':
        await updateContact(deps, { id: contact.id, noProfiling: true, ...by });
        fulfilment = 'no-profiling';
        break;
      case 'rectification':
        await changeAddressByOperator(deps, { contact, email: input.newEmail ?? '', ...by });
        fulfilment = 'address-change';
        break;
    }
  }
  const at = deps.clock.now();
  const row = await deps.store.privacyRequests.step({
    id: request.id,
    from: ['verified'],
    // An erased person's address leaves the request too; the request keeps its kind, dates and outcome.
    set: { status: 'fulfilled', fulfilledAt: at, fulfilment, ...(request.kind === 'erasure' ? { email: null } : {}) },
    audit: { at, operatorId: input.operatorId, action: 'request.fulfil', target: request.id, detail: { fulfilment, ...detail } },
  });
  if (!row) throw new OptboxError('conflict', 'the request changed meanwhile; reload the page');
  return { request: row, ...(data ? { export: data } : {}) };
}

export interface NoDataExport {
  format: 'optbox-contact-export/1';
  exportedAt: string;
  contact: null;
  note: string;
}
const noDataExport = (deps: CoreDeps, request: PrivacyRequestRow): NoDataExport => ({
  format: 'optbox-contact-export/1',
  exportedAt: new Date(deps.clock.now()).toISOString(),
  contact: null,
  note: `optbox holds no personal data for ${request.email ?? 'this address'}.`,
});

/**
 * Art. 16, by an operator: the contact's address becomes `email` at once (the person asked for it
 * in a verified request), with the same unit as a confirmed address change in the preference
 * center: suppressions move to the new address, the old one goes into the address history,
 * earlier links stop working, and the ledger gets a `rectify` row with the operator as actor.
 */
export async function changeAddressByOperator(deps: CoreDeps, input: { contact: ContactRow & { email: string }; email: string; source: 'admin'; actor: string; request?: RequestEvidence | undefined }): Promise<void> {
  const email = normalizeEmail(input.email, 'email');
  if (email === input.contact.email) throw invalidInput('email', 'is the address the contact has');
  const now = deps.clock.now();
  const jti = 'op_' + randomBytes(16).toString('base64url');
  await deps.store.sessions.addPendingEmail({ jti, contactId: input.contact.id, email, expiresAt: now + 60_000, now });
  const result = await deps.store.sessions.confirmEmail({
    jti,
    contactId: input.contact.id,
    oldEmail: input.contact.email,
    at: now,
    oldKey: deps.addressKey(input.contact.email),
    newKey: (e) => deps.addressKey(e),
    event: { source: input.source, actor: input.actor, policyVersion: deps.policyVersion, ...evidenceOf(deps, input.request) },
  });
  if (!result.ok) throw result.why === 'taken' ? invalidInput('email', 'belongs to another contact') : new OptboxError('conflict', 'the contact is erased');
}

/** Refuse a request (art. 12(4): the reason is told to the person); it can then be closed. */
export async function refusePrivacyRequest(deps: CoreDeps, input: { id: string; reason: string; operatorId: string }): Promise<PrivacyRequestRow> {
  if (!input.reason) throw invalidInput('reason', 'is required');
  const at = deps.clock.now();
  const row = await deps.store.privacyRequests.step({
    id: input.id,
    from: OPEN,
    set: { status: 'refused', refusedAt: at, refusalReason: input.reason },
    audit: { at, operatorId: input.operatorId, action: 'request.refuse', target: input.id, detail: { reason: input.reason } },
  });
  if (!row) throw (await deps.store.privacyRequests.byId(input.id)) ? new OptboxError('conflict', 'the request was answered') : notFound('request');
  return row;
}

/** Close an answered request with its outcome (fulfilled or refused). */
export async function closePrivacyRequest(deps: CoreDeps, input: { id: string; operatorId: string }): Promise<PrivacyRequestRow> {
  const request = await privacyRequestById(deps, input.id);
  if (request.status !== 'fulfilled' && request.status !== 'refused') throw new OptboxError('conflict', 'only a fulfilled or refused request can be closed');
  const at = deps.clock.now();
  const row = await deps.store.privacyRequests.step({
    id: request.id,
    from: [request.status],
    set: { status: 'closed', closedAt: at, outcome: request.status },
    audit: { at, operatorId: input.operatorId, action: 'request.close', target: request.id, detail: { outcome: request.status } },
  });
  if (!row) throw new OptboxError('conflict', 'the request changed meanwhile; reload the page');
  return row;
}
