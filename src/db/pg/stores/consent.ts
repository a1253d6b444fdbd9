import type { Store } from '../../store.ts';
import type { PgStoreDeps, PgSuppressionSync, PgWebhookSync, PgConsentSync } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgConsentStore(deps: PgStoreDeps, suppressions: PgSuppressionSync, webhooks: PgWebhookSync): { sync: PgConsentSync; store: Store['consent'] } {
  void deps;
  return { sync: notPorted('consent.sync'), store: notPorted('consent') };
}
