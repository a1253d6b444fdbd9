import type { Store } from '../../store.ts';
import type { PgStoreDeps, PgWebhookSync } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgContactStore(deps: PgStoreDeps, webhooks: PgWebhookSync): Store['contacts'] {
  void deps;
  return notPorted('contacts');
}
