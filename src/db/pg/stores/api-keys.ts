import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgApiKeyStore(deps: PgStoreDeps): Store['apiKeys'] {
  void deps;
  return notPorted('apiKeys');
}
