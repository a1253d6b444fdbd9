import type { Store } from '../../store.ts';
import { feedbackSuppression, type FeedbackAction, type FeedbackInput, type FeedbackOutcome } from '../../stores/feedback.ts';
import type { PgStoreDeps, PgSuppressionSync, PgConsentSync } from '../sync.ts';
import type { PgUnit } from '../unit.ts';

// The first unit to record an id wins on every instance: a second INSERT of it waits for the
// first's commit, then does nothing (no row back).
const SEEN = 'INSERT INTO provider_events (provider, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1 AS fresh';
// Soft bounces of one address are counted under a per-address transaction lock, so two instances
// cannot both count one short of the limit and let the limit-th bounce pass (two-int key space:
// the table's oid, then a hash of the address key).
const LOCK_ADDRESS = "SELECT pg_advisory_xact_lock('soft_bounces'::regclass::oid::int, hashtext(encode($1::bytea, 'hex')))";
const ADD_SOFT = 'INSERT INTO soft_bounces (address_key, at) VALUES ($1, $2)';
const COUNT_SOFT = 'SELECT count(*) AS n FROM soft_bounces WHERE address_key = $1 AND at > $2';
const CLEAR_SOFT = 'DELETE FROM soft_bounces WHERE address_key = $1';

/** The provider feedback store on PostgreSQL: the same behaviour as src/db/stores/feedback.ts. */
export function createPgFeedbackStore(deps: PgStoreDeps, suppressions: PgSuppressionSync, consent: PgConsentSync): Store['feedback'] {
  const firstSeen = async (unit: PgUnit, provider: string, id: string, at: number) => (await unit.query(SEEN, [provider, id, at])).length > 0;

  async function suppress(unit: PgUnit, input: FeedbackInput, action: FeedbackAction, reason: 'bounce' | 'complaint' | 'unsubscribe', expiresAt: number | null): Promise<boolean> {
    const { suppression, event } = feedbackSuppression(input, action, reason, expiresAt);
    const added = await suppressions.add(unit, suppression, input.at);
    if (added) unit.appendLedger(event);
    return added;
  }

  async function softBounce(unit: PgUnit, input: FeedbackInput, action: FeedbackAction): Promise<boolean> {
    await unit.query(LOCK_ADDRESS, [action.addressKey]);
    await unit.query(ADD_SOFT, [action.addressKey, input.at]);
    const [row] = await unit.query<{ n: number }>(COUNT_SOFT, [action.addressKey, input.at - input.softBounce.windowMs]);
    if (row!.n < input.softBounce.limit) return false;
    await unit.query(CLEAR_SOFT, [action.addressKey]); // counting starts again after the pause
    return suppress(unit, input, action, 'bounce', input.at + input.softBounce.suppressMs);
  }

  return {
    /** One provider event as one unit, as on SQLite: a replayed nonce or an id already seen changes nothing. */
    apply(input: FeedbackInput): Promise<FeedbackOutcome> {
      return deps.transact(async (unit): Promise<FeedbackOutcome> => {
        if (input.nonce !== undefined && !(await firstSeen(unit, `${input.provider}:nonce`, input.nonce, input.at))) return { status: 'replayed' };
        if (!(await firstSeen(unit, input.provider, input.eventId, input.at))) return { status: 'duplicate' };
        let suppressed = 0;
        for (const action of input.actions) {
          if (action.kind === 'bounce' || action.kind === 'complaint') {
            if (await suppress(unit, input, action, action.kind, null)) suppressed++;
          } else if (action.kind === 'soft-bounce') {
            if (await softBounce(unit, input, action)) suppressed++;
          } else if (action.contact) {
            const result = await consent.setTopics(unit, {
              contactId: action.contact.id,
              at: input.at,
              topicIds: input.topicIds,
              status: 'unsubscribed',
              suppress: { addressKey: action.addressKey, scope: '*', reason: 'unsubscribe', source: action.source, email: action.contact.email, expiresAt: null },
              event: { action: 'unsubscribe', topic: '*', source: action.source, policyVersion: input.policyVersion, detail: input.detail },
            });
            if (result.changed) suppressed++;
          } else if (await suppress(unit, input, action, 'unsubscribe', null)) suppressed++;
        }
        return { status: 'applied', suppressed };
      });
    },
  };
}
