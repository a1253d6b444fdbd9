import type { CoreDeps } from './deps.ts';
import { normalizeEmail } from './email.ts';

/**
 * Bring addresses stored under an older normalization to today's (internationalised domains as
 * A-labels, core/email.ts), rekeying their suppressions with the pepper. Runs once, at start,
 * after the schema migrations; later starts find it recorded and do nothing.
 */
export function migrateAddressForms(deps: CoreDeps) {
  return deps.store.migrateAddressForms({
    normalize: (email) => {
      try {
        return normalizeEmail(email);
      } catch {
        return null; // not an address today: left as it is
      }
    },
    key: deps.addressKey,
    at: deps.clock.now(),
  });
}
