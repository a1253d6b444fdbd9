import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgOperatorStore(deps: PgStoreDeps): Store['operators'] {
  void deps;
  return notPorted('operators');
}
