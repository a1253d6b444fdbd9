import { createApp } from '../../src/app.ts';
import { createLogger } from '../../src/logger.ts';
import { openRuntime } from '../../src/runtime.ts';
import type { TestApp } from './app.ts';

/**
 * A second optbox instance on the test app's database, as a second process behind the same load
 * balancer would be: its own runtime (its own caches, key ring and change-version poller), the
 * same config and clock. On PostgreSQL that is what several instances are; callers close it.
 */
export async function secondInstance(t: TestApp) {
  const deps = await openRuntime(t.config, { clock: t.clock, logger: createLogger('silent') });
  const app = createApp(deps);
  return { deps, app, core: deps.core, close: () => deps.close() };
}

/** Ask until `probe` is true or `ms` passed (another instance learns of a change by polling). */
export async function eventually(probe: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}
