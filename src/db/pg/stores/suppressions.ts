import type { Store } from '../../store.ts';
import type { PgStoreDeps, PgWebhookSync, PgSuppressionSync } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgSuppressionStore(deps: PgStoreDeps, webhooks: PgWebhookSync): { sync: PgSuppressionSync; store: Store['suppressions'] } {
  void deps;
  return { sync: notPorted('suppressions.sync'), store: notPorted('suppressions') };
}
