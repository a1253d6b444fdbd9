import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgOpsStore(deps: PgStoreDeps): Store['ops'] {
  void deps;
  return notPorted('ops');
}
