import { subscriptionUpdated } from '../../stores/webhooks.ts';
import type { Store } from '../../store.ts';
import type { TopicChange, TopicChangeResult } from '../../stores/consent.ts';
import type { PgStoreDeps, PgSuppressionSync, PgWebhookSync, PgConsentSync } from '../sync.ts';
import type { PgUnit } from '../unit.ts';

// Raw SQL: this is the one-click path, as on SQLite. Topics come back in id order (byte order, as
// SQLite compares text), which is the order of `changedTopics` in the ledger and webhooks.
const CURRENT = `SELECT t.id, t.default_status, s.status, (SELECT external_id FROM contacts WHERE id = $1) AS external_id
  FROM topics t LEFT JOIN subscriptions s ON s.topic_id = t.id AND s.contact_id = $1
  WHERE t.id = ANY($2::text[]) ORDER BY t.id COLLATE "C"`;
// Conditional upsert: the row of a concurrent writer is locked and re-read before the WHERE, so a
// topic another instance has just set to this status is not changed (or counted) twice.
const SET_STATUS = `INSERT INTO subscriptions (contact_id, topic_id, status, source, updated_at)
  SELECT $1, unnest($2::text[]), $3, $4, $5
  ON CONFLICT (contact_id, topic_id) DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
  WHERE subscriptions.status <> EXCLUDED.status
  RETURNING topic_id`;

/** The consent store on PostgreSQL: the same behaviour as src/db/stores/consent.ts. */
export function createPgConsentStore(deps: PgStoreDeps, suppressions: PgSuppressionSync, webhooks: PgWebhookSync): { sync: PgConsentSync; store: Store['consent'] } {
  /**
   * Set a contact's topics to one status, with the suppression that goes with it, and one ledger
   * event if anything changed (as on SQLite). A topic without a subscription row has its default
   * status (opt-out topics are subscribed).
   */
  async function setTopics(unit: PgUnit, change: TopicChange): Promise<TopicChangeResult> {
    const current = await unit.query<{ id: string; default_status: string; status: string | null; external_id: string | null }>(CURRENT, [change.contactId, change.topicIds]);
    const candidates = current.filter((t) => (t.status ?? (t.default_status === 'opt-out' ? 'subscribed' : 'unsubscribed')) !== change.status).map((t) => t.id);
    let changedTopics: string[] = [];
    if (candidates.length > 0) {
      const written = await unit.query<{ topic_id: string }>(SET_STATUS, [change.contactId, candidates, change.status, change.event.source, change.at]);
      const changed = new Set(written.map((r) => r.topic_id));
      changedTopics = candidates.filter((t) => changed.has(t));
    }
    const suppressed = change.suppress ? await suppressions.add(unit, change.suppress, change.at) : false;
    const lifted = change.lift ? await suppressions.lift(unit, change.lift.addressKey, change.lift.scopes, change.lift.reasons, change.at) : 0;
    const changed = changedTopics.length > 0 || suppressed || lifted > 0;
    if (changed) {
      unit.appendLedger({ ...change.event, at: change.at, contactId: change.contactId, detail: { ...change.event.detail, topics: changedTopics } });
    }
    if (changedTopics.length > 0) {
      await webhooks.emit(unit, subscriptionUpdated({ at: change.at, contactId: change.contactId, externalId: current[0]?.external_id ?? null, topics: changedTopics, status: change.status, source: change.event.source }));
    }
    return { changedTopics, changed };
  }

  return {
    /** For other stores' units (provider feedback): not on the Store. */
    sync: { setTopics },
    store: {
      /** setTopics as one unit: all of it commits together or none of it. */
      setTopics: (change: TopicChange) => deps.transact((unit) => setTopics(unit, change)),
    },
  };
}
