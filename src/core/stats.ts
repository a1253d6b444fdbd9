import type { CoreDeps } from './deps.ts';

/** Figures for /metrics, read from the database when scraped. */
export const ledgerCountsSince = (deps: CoreDeps, after: number) => deps.store.ops.ledgerCountsSince(after);
export const ledgerLength = (deps: CoreDeps) => deps.store.ops.ledgerLength();
export const webhookDeliveryStates = (deps: CoreDeps) => deps.store.ops.webhookDeliveryStates();

/**
 * Ready to serve (for a load balancer's readiness check): every migration of this build is
 * applied and the database takes a real, committed write through the write queue.
 */
export async function readiness(deps: CoreDeps): Promise<{ ready: boolean; checks: { migrations: boolean; writable: boolean } }> {
  const migrations = await deps.store.ops.migrationsApplied().catch(() => false);
  let writable = false;
  try {
    await deps.store.ops.probeWrite(deps.clock.now());
    writable = true;
  } catch {
    writable = false;
  }
  return { ready: migrations && writable, checks: { migrations, writable } };
}

