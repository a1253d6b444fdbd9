import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgSuppressionBrowseStore(deps: PgStoreDeps): Store['suppressionBrowse'] {
  void deps;
  return notPorted('suppressionBrowse');
}
