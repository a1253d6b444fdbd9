import type { Adapter } from 'lucia';
import type { CoreDeps } from './deps.ts';

/**
 * Where subscriber sessions are kept: lucia's adapter over the session table (its writes are
 * units of the write queue like any other). src/auth/ builds the preference center's sessions
 * on it; nothing else reaches the table.
 */
export function subscriberSessionStorage(deps: CoreDeps): Adapter {
  return deps.store.sessions.luciaAdapter;
}
