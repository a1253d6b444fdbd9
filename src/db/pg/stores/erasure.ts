import type { Store } from '../../store.ts';
import type { PgStoreDeps, PgSuppressionSync, PgWebhookSync } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgErasureStore(deps: PgStoreDeps, suppressions: PgSuppressionSync, webhooks: PgWebhookSync): Store['erasure'] {
  void deps;
  return notPorted('erasure');
}
