import type { Store } from '../../store.ts';
import type { PgStoreDeps, PgSuppressionSync } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgSessionStore(deps: PgStoreDeps, suppressions: PgSuppressionSync): Store['sessions'] {
  void deps;
  return notPorted('sessions');
}
