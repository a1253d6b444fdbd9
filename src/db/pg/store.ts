import type { Store } from '../store.ts';
import { openPg } from './client.ts';
import { createPgWriteQueue } from './unit.ts';
import { createChangeVersions } from './versions.ts';
import type { PgStoreDeps } from './sync.ts';
import { createPgLedgerStore } from './stores/ledger.ts';
import { createPgConsoleStatsStore } from './stores/console-stats.ts';
import { createPgRateLimitStore } from './stores/rate-limits.ts';
import { createPgWebhookStore } from './stores/webhooks.ts';
import { createPgSuppressionStore } from './stores/suppressions.ts';
import { createPgConsentStore } from './stores/consent.ts';
import { createPgContactStore } from './stores/contacts.ts';
import { createPgTopicStore } from './stores/topics.ts';
import { createPgFeedbackStore } from './stores/feedback.ts';
import { createPgOpsStore } from './stores/ops.ts';
import { createPgErasureStore } from './stores/erasure.ts';
import { createPgSessionStore } from './stores/sessions.ts';
import { createPgSecretStore } from './stores/secrets.ts';
import { createPgApiKeyStore } from './stores/api-keys.ts';
import { createPgAudienceStore } from './stores/audience.ts';
import { createPgOperatorStore } from './stores/operators.ts';
import { createPgPrivacyRequestStore } from './stores/privacy-requests.ts';
import { createPgSuppressionImportStore } from './stores/suppression-imports.ts';
import { createPgSuppressionBrowseStore } from './stores/suppression-browse.ts';
import { migratePgAddressForms } from './stores/address-forms.ts';

/**
 * The Store on PostgreSQL: the same interface as on SQLite (src/db/store.ts), so nothing above
 * src/db knows which engine runs. A unit of work is one transaction of the write queue
 * (unit.ts); reads go to the pool.
 */
export async function openPgStore(url: string, options: { poolSize: number }): Promise<Store> {
  const db = await openPg(url, options);
  const ledger = createPgLedgerStore(db.orm);
  const transact = createPgWriteQueue(db.pool, ledger.append);
  const versions = createChangeVersions(db.pool);
  await versions.start();
  const deps: PgStoreDeps = { orm: db.orm, transact, versions };
  const webhooks = createPgWebhookStore(deps);
  const suppressions = createPgSuppressionStore(deps, webhooks.sync);
  const consent = createPgConsentStore(deps, suppressions.sync, webhooks.sync);
  let closed = false;
  return {
    contacts: createPgContactStore(deps, webhooks.sync),
    topics: createPgTopicStore(deps),
    suppressions: suppressions.store,
    consent: consent.store,
    feedback: createPgFeedbackStore(deps, suppressions.sync, consent.sync),
    ops: createPgOpsStore(deps),
    erasure: createPgErasureStore(deps, suppressions.sync, webhooks.sync),
    sessions: createPgSessionStore(deps, suppressions.sync),
    webhooks: webhooks.store,
    ledger: ledger.store,
    secrets: createPgSecretStore(deps),
    apiKeys: createPgApiKeyStore(deps),
    audience: createPgAudienceStore(deps),
    operators: createPgOperatorStore(deps),
    consoleStats: createPgConsoleStatsStore(db.orm),
    privacyRequests: createPgPrivacyRequestStore(deps),
    imports: createPgSuppressionImportStore(deps),
    suppressionBrowse: createPgSuppressionBrowseStore(deps),
    limits: createPgRateLimitStore(db.orm),
    migrateAddressForms: (input) => migratePgAddressForms(deps, input),
    /** Nothing to do: PostgreSQL has no separate WAL file of old pages to truncate here (VACUUM reclaims dead rows). */
    async checkpoint(): Promise<void> {},
    async healthy(): Promise<boolean> {
      if (closed) return false;
      try {
        await db.pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      versions.stop();
      await db.pool.end();
    },
  };
}
