import type { Store } from '../../store.ts';
import type { PgStoreDeps, PgSuppressionSync, PgConsentSync } from '../sync.ts';
import { notPorted } from '../not-ported.ts';

export function createPgFeedbackStore(deps: PgStoreDeps, suppressions: PgSuppressionSync, consent: PgConsentSync): Store['feedback'] {
  void deps;
  return notPorted('feedback');
}
