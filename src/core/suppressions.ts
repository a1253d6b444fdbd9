import type { SuppressionReason } from '../db/store.ts';
import type { ConsentSource, CoreDeps, RequestEvidence } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { invalidInput, OptboxError } from './errors.ts';
import { evidenceOf } from './evidence.ts';

export const MAX_CHECK_BATCH = 10_000;

export interface SuppressionCheck {
  email: string;
  suppressed: boolean;
  reason: SuppressionReason | null;
  scope: string | null;
}

/**
 * May the pipeline mail these addresses for this topic? (DESIGN promise 3.) A suppression
 * applies when its scope is the topic or '*' and it has not lapsed; a global one is reported
 * before a topic one. Without a topic only global suppressions count (transactional mail).
 * Results come back in the order asked, with each address as it was given.
 */
export async function checkSuppressions(deps: CoreDeps, input: { emails: string[]; topic?: string | undefined }): Promise<SuppressionCheck[]> {
  if (input.emails.length > MAX_CHECK_BATCH) throw invalidInput('emails', `at most ${MAX_CHECK_BATCH} addresses per check`);
  const topic = input.topic ?? '*';
  if (topic !== '*' && !(await deps.store.topics.byId(topic))) throw invalidInput('topic', `unknown topic "${topic}"`);
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
  const scope = await checkedScope(deps, input.scope);
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
 * erasure that must keep them from being mailed again (DESIGN promise 5).
 */
export async function unsuppress(deps: CoreDeps, input: { email: string; scope?: string | undefined; override?: boolean; source: ConsentSource; actor?: string | undefined; request?: RequestEvidence | undefined }): Promise<{ removed: number }> {
  const email = normalizeEmail(input.email);
  const scope = await checkedScope(deps, input.scope);
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

async function checkedScope(deps: CoreDeps, scope: string | undefined): Promise<string> {
  if (scope === undefined || scope === '*') return '*';
  if (!(await deps.store.topics.byId(scope))) throw invalidInput('scope', `unknown topic "${scope}"`);
  return scope;
}
