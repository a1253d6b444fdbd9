import type { Logger } from 'pino';
import type { RetentionCounts } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { eraseContact } from './erasure.ts';

const DAY = 86_400_000;
/** Contacts erased per run at most: a scheduled run finishes the rest the next time. */
const MAX_ERASE_PER_RUN = 5000;
/** Erasures queued at once: they share group commits, and requests still get their turn between. */
const ERASE_BATCH = 100;

export interface RetentionPolicy {
  /** Erase contacts unsubscribed from everything after this many quiet days; 0: never. */
  unsubscribedDays: number;
  /** Erase contacts with no change at all for this many days; 0: never. */
  inactiveDays: number;
  /** Keep finished webhook deliveries (attempts, events) and provider event ids this long. */
  webhookDays: number;
  /** Soft bounces older than this window no longer count and go. */
  softBounceWindowMs: number;
}

export interface RetentionReport {
  dryRun: boolean;
  /** Contacts erased (or, in a dry run, that would be). */
  erased: number;
  purged: RetentionCounts;
}

/**
 * Keep personal data only as long as it is needed (GDPR art. 5(1)(e), storage limitation; the
 * privacy statement: "only as long as necessary"). A contact unsubscribed from everything, or
 * inactive, past its period is erased through the erasure verb, so its keyed-hash suppression
 * stays and the ledger gains an `erase` row with source `retention` (the chain is never
 * rewritten). Delivered and given-up webhook deliveries with their attempts and events, used
 * link ids, expired sessions and pending address changes, old provider event ids and soft
 * bounces outside their window are deleted. A dry run counts and changes nothing.
 */
export async function runRetention(deps: CoreDeps, policy: RetentionPolicy, options: { dryRun?: boolean } = {}): Promise<RetentionReport> {
  const now = deps.clock.now();
  const dryRun = options.dryRun === true;
  const ids = await deps.store.ops.retentionCandidates({
    unsubscribedBefore: policy.unsubscribedDays > 0 ? now - policy.unsubscribedDays * DAY : null,
    inactiveBefore: policy.inactiveDays > 0 ? now - policy.inactiveDays * DAY : null,
    limit: MAX_ERASE_PER_RUN,
  });
  let erased = 0;
  if (dryRun) erased = ids.length;
  else {
    for (let i = 0; i < ids.length; i += ERASE_BATCH) {
      const results = await Promise.all(ids.slice(i, i + ERASE_BATCH).map((contactId) => eraseContact(deps, { contactId, source: 'retention', actor: 'retention' })));
      erased += results.filter((r) => r.erased).length;
    }
  }
  const cutoffs = { now, webhooksBefore: now - policy.webhookDays * DAY, providerEventsBefore: now - policy.webhookDays * DAY, softBouncesBefore: now - policy.softBounceWindowMs };
  const purged = dryRun ? await deps.store.ops.purgeable(cutoffs) : await deps.store.ops.purge(cutoffs);
  return { dryRun, erased, purged };
}

export interface RetentionScheduler {
  start(): void;
  /** Stop the timer and wait for a run in progress. */
  stop(): Promise<void>;
}

/** Runs retention every `intervalMs` inside the server (the first run a minute after start at most). */
export function createRetentionScheduler(deps: CoreDeps, policy: RetentionPolicy, options: { intervalMs: number; logger?: Logger | undefined }): RetentionScheduler {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  function schedule(delay: number) {
    if (stopped || options.intervalMs <= 0) return;
    timer = setTimeout(() => {
      running = runRetention(deps, policy)
        .then((report) => options.logger?.info({ erased: report.erased, purged: report.purged }, 'retention run'))
        .catch((err: unknown) => options.logger?.error({ err }, 'retention run failed'))
        .finally(() => {
          running = undefined;
          schedule(options.intervalMs);
        });
    }, delay);
    timer.unref();
  }
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(Math.min(options.intervalMs, 60_000));
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
