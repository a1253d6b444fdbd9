import type { CoreDeps } from './deps.ts';

/** True when the database is open and answers (the load balancer's /healthz). */
export function storeHealthy(deps: CoreDeps): Promise<boolean> {
  return deps.store.healthy();
}
