import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgAudienceStore(deps: PgStoreDeps): Store['audience'] {
  void deps;
  return notPorted('audience');
}
