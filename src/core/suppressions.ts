import type { SuppressionReason } from '../db/store.ts';
import type { ConsentSource, CoreDeps, RequestEvidence } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { invalidInput, OptboxError } from './errors.ts';
import { evidenceOf } from './evidence.ts';
import { knownScope, knownTopic } from './topics.ts';
import { exportFormatter } from '../format/suppressions.ts';

export const MAX_CHECK_BATCH = 10_000;

export interface SuppressionCheck {
  email: string;
  suppressed: boolean;
  reason: SuppressionReason | null;
  scope: string | null;
}

/**
 * May the pipeline mail these addresses for this topic? (It must never be mailed once suppressed.) A suppression
 * applies when its scope is the topic or '*' and it has not lapsed; a global one is reported
 * before a topic one. Without a topic only global suppressions count (transactional mail).
 * Results come back in the order asked, with each address as it was given.
 */
export async function checkSuppressions(deps: CoreDeps, input: { emails: string[]; topic?: string | undefined }): Promise<SuppressionCheck[]> {
  if (input.emails.length > MAX_CHECK_BATCH) throw invalidInput('emails', `at most ${MAX_CHECK_BATCH} addresses per check`);
  const topic = input.topic ?? '*';
  if (topic !== '*') await knownTopic(deps, topic, 'topic');
  const keys = input.emails.map((raw, i) => deps.addressKey(normalizeEmail(raw, `emails[${i}]`)));
  const hits = await deps.store.suppressions.checkMany(keys, topic, deps.clock.now());
  return input.emails.map((email, i) => {
    const hit = hits[i];
    return { email, suppressed: !!hit, reason: hit?.reason ?? null, scope: hit?.scope ?? null };
  });
}

export interface SuppressInput {
  email: string;
  /** A topic id, or '*' (default) for every topic. */
  scope?: string | undefined;
  reason: SuppressionReason;
  source: ConsentSource;
  actor?: string | undefined;
  /** For soft bounces: the suppression lapses at this instant (ms). */
  expiresAt?: number | undefined;
  request?: RequestEvidence | undefined;
}

/** Add an address to the suppression list (bounce, complaint, manual). Idempotent. */
export async function suppress(deps: CoreDeps, input: SuppressInput): Promise<{ created: boolean }> {
  const email = normalizeEmail(input.email);
  const scope = await knownScope(deps, input.scope, 'scope');
  const now = deps.clock.now();
  if (input.expiresAt !== undefined && input.expiresAt <= now) throw invalidInput('expiresAt', 'lies in the past');
  const contact = await deps.store.contacts.byEmail(email);
  const created = await deps.store.suppressions.add({
    addressKey: deps.addressKey(email),
    scope,
    reason: input.reason,
    source: input.source,
    email,
    expiresAt: input.expiresAt ?? null,
    at: now,
    contactId: contact?.id ?? null,
    event: { actor: input.actor ?? null, policyVersion: deps.policyVersion, ...evidenceOf(deps, input.request) },
  });
  return { created };
}

/** Reasons that a person's own objection or erasure set, which a plain removal must not undo. */
const PROTECTED: SuppressionReason[] = ['complaint', 'erasure'];

/**
 * Remove an address from the suppression list. A complaint or an erasure is only lifted with
 * `override`: the first is the person telling the mailbox provider "spam", the second a GDPR
 * erasure that must keep them from being mailed again, also after a later import.
 */
export async function unsuppress(deps: CoreDeps, input: { email: string; scope?: string | undefined; override?: boolean; source: ConsentSource; actor?: string | undefined; request?: RequestEvidence | undefined }): Promise<{ removed: number }> {
  const email = normalizeEmail(input.email);
  const scope = await knownScope(deps, input.scope, 'scope');
  const key = deps.addressKey(email);
  const reasons: SuppressionReason[] = input.override ? ['unsubscribe', 'bounce', 'complaint', 'manual', 'erasure'] : ['unsubscribe', 'bounce', 'manual'];
  const contact = await deps.store.contacts.byEmail(email);
  const removed = await deps.store.suppressions.remove({
    addressKey: key,
    scope,
    reasons,
    at: deps.clock.now(),
    contactId: contact?.id ?? null,
    source: input.source,
    event: { actor: input.actor ?? null, policyVersion: deps.policyVersion, ...evidenceOf(deps, input.request) },
  });
  if (removed === 0 && !input.override) {
    const hit = await deps.store.suppressions.checkOne(key, scope, deps.clock.now());
    if (hit && hit.scope === scope && PROTECTED.includes(hit.reason)) {
      throw new OptboxError('conflict', `a ${hit.reason} suppression is only removed with override`);
    }
  }
  return { removed };
}


export const MAX_BULK_ADD = 10_000;
/** Suppressions per unit of work in a bulk add: short enough that other requests get their turn. */
const BULK_UNIT = 1000;

export interface BulkSuppressItem {
  email: string;
  scope?: string | undefined;
  reason: SuppressionReason;
  expiresAt?: number | undefined;
}

export type BulkSuppressResult =
  | { index: number; email: string; status: 'created' | 'exists' }
  | { index: number; email: string; status: 'error'; error: { code: 'invalid_input'; field: string; message: string } };

/**
 * Add many suppressions, each answered on its own (as SendGrid, Postmark and SES do): a bad
 * address or unknown topic fails that item only, with the field named; the others are added.
 * Idempotent per item: an address already suppressed for that scope answers `exists`.
 */
export async function suppressMany(deps: CoreDeps, input: { items: BulkSuppressItem[]; source: ConsentSource; actor?: string | undefined; request?: RequestEvidence | undefined }): Promise<BulkSuppressResult[]> {
  if (input.items.length > MAX_BULK_ADD) throw invalidInput('suppressions', `at most ${MAX_BULK_ADD} per request`);
  const now = deps.clock.now();
  const topics = new Set((await deps.store.topics.all()).map((t) => t.id));
  const results: BulkSuppressResult[] = new Array(input.items.length);
  const valid: Array<{ index: number; email: string; key: Buffer; scope: string; item: BulkSuppressItem }> = [];
  for (const [index, item] of input.items.entries()) {
    const scope = item.scope ?? '*';
    const fail = (field: string, message: string) => (results[index] = { index, email: item.email, status: 'error', error: { code: 'invalid_input', field: `suppressions[${index}].${field}`, message } });
    let email: string;
    try {
      email = normalizeEmail(item.email);
    } catch (err) {
      fail('email', err instanceof OptboxError ? (err.fields[0]?.message ?? err.message) : 'invalid');
      continue;
    }
    if (scope !== '*' && !topics.has(scope)) fail('scope', `unknown topic "${scope}"`);
    else if (item.expiresAt !== undefined && item.expiresAt <= now) fail('expiresAt', 'lies in the past');
    else valid.push({ index, email, key: deps.addressKey(email), scope, item });
  }
  const event = { actor: input.actor ?? null, policyVersion: deps.policyVersion, ...evidenceOf(deps, input.request) };
  for (let start = 0; start < valid.length; start += BULK_UNIT) {
    const chunk = valid.slice(start, start + BULK_UNIT);
    const contactIds = await deps.store.contacts.idsByEmail(chunk.map((v) => v.email));
    const added = await deps.store.suppressions.addMany(
      chunk.map((v, i) => ({ addressKey: v.key, scope: v.scope, reason: v.item.reason, source: input.source, email: v.email, expiresAt: v.item.expiresAt ?? null, contactId: contactIds.get(v.email) ?? null })),
      now,
      event,
    );
    chunk.forEach((v, i) => (results[v.index] = { index: v.index, email: v.item.email, status: added[i] ? 'created' : 'exists' }));
  }
  return results;
}

/** Every suppression standing for one address (normalized), global first. */
export async function suppressionsFor(deps: CoreDeps, rawEmail: string) {
  const email = normalizeEmail(rawEmail);
  return { email, suppressions: await deps.store.suppressions.forKey(deps.addressKey(email), deps.clock.now()) };
}

export interface ChangesQuery {
  /** The seq of the last change the client has seen (0: from the start). */
  after: number;
  limit: number;
  /** Only what applies to this topic: its own suppressions and the global ones. */
  topic?: string | undefined;
  /** Only this exact scope ('*' or a topic). */
  scope?: string | undefined;
  reason?: SuppressionReason | undefined;
  since?: number | undefined;
}

/**
 * The suppression list as a change feed (see db/schema/suppression-changes.ts). From the start
 * (after = 0) it lists what stands now; after a position, everything changed since, removals
 * as tombstones. `last` is the position to continue from, also when the page is empty.
 */
export async function suppressionChangesSince(deps: CoreDeps, query: ChangesQuery) {
  if (query.topic !== undefined && query.scope !== undefined) throw invalidInput('scope', 'give topic or scope, not both');
  if (query.topic !== undefined) await knownScope(deps, query.topic, 'topic');
  const scopes = query.topic !== undefined ? [...new Set([query.topic, '*'])] : query.scope !== undefined ? [await knownScope(deps, query.scope, 'scope')] : undefined;
  const rows = await deps.store.suppressions.changes({ after: query.after, limit: query.limit + 1, scopes, reason: query.reason, since: query.since, present: query.after === 0 });
  const page = rows.slice(0, query.limit);
  return { changes: page, more: rows.length > query.limit, last: page.at(-1)?.seq ?? query.after };
}

const EXPORT_PAGE = 1000;

/**
 * The whole list as CSV or NDJSON (written by src/format/suppressions.ts), produced a page at a
 * time so memory stays flat for millions of rows; each page is one short read, and between
 * pages other requests get their turn. Rows changed during a long export may or may not be in
 * it; the change feed is the exact way to keep in step.
 */
export async function* exportSuppressions(deps: CoreDeps, input: { format: 'csv' | 'ndjson'; topic?: string | undefined; reason?: SuppressionReason | undefined }): AsyncGenerator<string> {
  const scope = input.topic === undefined ? undefined : await knownScope(deps, input.topic, 'topic');
  const format = exportFormatter(input.format);
  if (format.header) yield format.header;
  for (let after = 0; ; ) {
    const rows = await deps.store.suppressions.exportPage(after, EXPORT_PAGE, { scope: scope === '*' ? undefined : scope, reason: input.reason });
    if (rows.length === 0) return;
    after = rows[rows.length - 1]![0];
    yield format.rows(rows);
    if (rows.length < EXPORT_PAGE) return;
    // Reads, stream writes and a fast reader can all settle as microtasks: without a real turn
    // of the event loop here a million-row export would hold up every other request.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
