import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgTopicStore(deps: PgStoreDeps): Store['topics'] {
  void deps;
  return notPorted('topics');
}
