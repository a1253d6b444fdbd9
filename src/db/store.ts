import { createDataVersion } from './cache.ts';
import { openDatabase, type Db } from './client.ts';
import { createWriteQueue } from './write-queue.ts';
import { createLedgerStore } from './stores/ledger.ts';
import { createContactStore } from './stores/contacts.ts';
import { createTopicStore } from './stores/topics.ts';
import { createSuppressionStore } from './stores/suppressions.ts';
import { createConsentStore } from './stores/consent.ts';
import { createSecretStore } from './stores/secrets.ts';
import { createApiKeyStore } from './stores/api-keys.ts';
import { createAudienceStore } from './stores/audience.ts';
import { createWebhookStore } from './stores/webhooks.ts';
import { createErasureStore } from './stores/erasure.ts';
import { createSessionStore } from './stores/sessions.ts';
import { createOperatorStore } from './stores/operators.ts';
import { createConsoleStatsStore, createCounterSync } from './stores/console-stats.ts';
import { createSuppressionImportStore } from './stores/suppression-imports.ts';
import { createSuppressionBrowseStore } from './stores/suppression-browse.ts';
import { createFeedbackStore } from './stores/feedback.ts';
import { createOpsStore } from './stores/ops.ts';
import { createPrivacyRequestStore } from './stores/privacy-requests.ts';
import { createRateLimitStore } from './stores/rate-limits.ts';
import { migrateAddressFormsSync, type AddressFormsResult } from './stores/address-forms.ts';

export type { SuppressionReason, SuppressionHit, SuppressionInput, ExportRow } from './stores/suppressions.ts';
export type { AudienceRow } from './stores/audience.ts';
export type { OperatorRole, AuditInput, OperatorChange } from './stores/operators.ts';
export type { TopicChange } from './stores/topics.ts';
export type { DashboardCounts } from './stores/console-stats.ts';
export type { BrowseFilter } from './stores/suppression-browse.ts';
export { isRetryableDelivery, WEBHOOK_EVENT_TYPES, type WebhookEventType, type DueDelivery, type EndpointLimits, type RetryOutcome } from './stores/webhooks.ts';
export type { LedgerHead, LedgerVerification, LedgerEventInput } from './stores/ledger.ts';
export type { FeedbackAction, FeedbackOutcome } from './stores/feedback.ts';
export type { RetentionCounts } from './stores/ops.ts';
export type { RateRule } from './stores/rate-limits.ts';
export type { PrivacyRequestStatus, PrivacyRequestChange } from './stores/privacy-requests.ts';
export type { ContactRow, TopicRow, SubscriptionRow, ConsentEventRow, ApiKeyRow, SuppressionRow, SuppressionChangeRow, WebhookEndpointRow, WebhookDeliveryRow, WebhookAttemptRow, OperatorRow, OperatorSessionRow, AuditEventRow, SuppressionImportRow, PrivacyRequestRow } from './schema/index.ts';

/**
 * Everything core may ask of storage, and nothing more. Every write is a unit of work that goes
 * through the one group-commit write queue (write-queue.ts); reads run directly on the one
 * connection. The synchronous in-unit primitives (`appendSync`, `addSync`, `emitSync`, …) are
 * handed from store to store here and are not part of the Store: core cannot call them outside
 * a unit. The one exception to the queue is the secret store (see stores/secrets.ts).
 */
export function createStore(db: Db) {
  const transact = createWriteQueue(db.sqlite);
  const version = createDataVersion(db.sqlite);
  const counters = createCounterSync(db.sqlite);
  const ledger = createLedgerStore(db.orm, counters);
  const webhooks = createWebhookStore(db.orm, transact);
  const suppressions = createSuppressionStore(db.orm, db.sqlite, transact, ledger.sync, webhooks.sync, counters);
  const ping = db.sqlite.prepare('SELECT 1 AS ok');
  const consent = createConsentStore(db.orm, transact, ledger.sync, suppressions.sync, webhooks.sync);
  return {
    contacts: createContactStore(db.orm, transact, ledger.sync, webhooks.sync),
    topics: createTopicStore(db.orm, transact, version),
    suppressions: suppressions.store,
    consent: consent.store,
    feedback: createFeedbackStore(db.sqlite, transact, ledger.sync, suppressions.sync, consent.sync),
    ops: createOpsStore(db.sqlite, transact),
    erasure: createErasureStore(db.orm, transact, ledger.sync, suppressions.sync, webhooks.sync),
    sessions: createSessionStore(db.orm, transact, ledger.sync, suppressions.sync),
    webhooks: webhooks.store,
    ledger: ledger.store,
    secrets: createSecretStore(db.orm, transact),
    apiKeys: createApiKeyStore(db.orm, transact, version),
    audience: createAudienceStore(db.sqlite),
    operators: createOperatorStore(db.orm, transact),
    consoleStats: createConsoleStatsStore(db.sqlite),
    privacyRequests: createPrivacyRequestStore(db.orm, transact),
    imports: createSuppressionImportStore(db.orm, transact),
    suppressionBrowse: createSuppressionBrowseStore(db.sqlite),
    limits: createRateLimitStore(),
    /** Start-up data migration of stored address forms (see stores/address-forms.ts); null when done before. */
    async migrateAddressForms(input: { normalize: (email: string) => string | null; key: (email: string) => Buffer; at: number }): Promise<AddressFormsResult | null> {
      return migrateAddressFormsSync(db.sqlite, counters, input);
    },
    /**
     * Copy the WAL into the database file and truncate it to nothing: after an erasure, the old
     * page images in the WAL (which still hold the address) must not stay on disk. A no-op for
     * an in-memory database.
     */
    async checkpoint(): Promise<void> {
      if (db.sqlite.open && db.sqlite.name !== ':memory:') db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    },
    /** Answers when the database is open and migrated. */
    async healthy(): Promise<boolean> {
      return db.sqlite.open && ping.get() !== undefined;
    },
    async close(): Promise<void> {
      if (db.sqlite.open) db.sqlite.close();
    },
  };
}

export type Store = ReturnType<typeof createStore>;
