import type { Store } from '../../store.ts';
import type { PgStoreDeps, PgWebhookSync } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgWebhookStore(deps: PgStoreDeps): { sync: PgWebhookSync; store: Store['webhooks'] } {
  void deps;
  return { sync: notPorted('webhooks.sync'), store: notPorted('webhooks') };
}
