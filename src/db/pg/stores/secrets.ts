import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgSecretStore(deps: PgStoreDeps): Store['secrets'] {
  void deps;
  return notPorted('secrets');
}
