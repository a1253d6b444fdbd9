import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgSuppressionImportStore(deps: PgStoreDeps): Store['imports'] {
  void deps;
  return notPorted('imports');
}
