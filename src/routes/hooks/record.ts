import type { Context } from 'hono';
import { recordProviderEvent, type ProviderEvent, type ProviderEventResult } from '../../core/provider-events.ts';
import type { AppDeps } from '../context.ts';

/**
 * Take in verified events, each as its own unit of work (all queued at once, so they share one
 * group commit), count them for /metrics and answer 200 with what happened. A replayed nonce
 * answers 403 and changed nothing.
 */
export async function recordEvents(deps: AppDeps, c: Context, events: ProviderEvent[]) {
  const policy = { softBounce: deps.config.feedback.softBounce };
  const outcomes = await Promise.all(events.map((event) => recordProviderEvent(deps.core, policy, event)));
  const tally: Record<ProviderEventResult, number> = { applied: 0, duplicate: 0, replayed: 0 };
  outcomes.forEach((o, i) => {
    tally[o.result]++;
    deps.metrics?.providerEvent(events[i]!.provider, events[i]!.kind ?? 'ignored', o.result);
  });
  if (tally.replayed > 0) return c.json({ error: { code: 'forbidden', message: 'request token already used (replay)' } }, 403);
  return c.json({ received: events.length, applied: tally.applied, duplicates: tally.duplicate, suppressed: outcomes.reduce((n, o) => n + o.suppressed, 0) });
}
