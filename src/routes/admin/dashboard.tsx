import { Hono } from 'hono';
import { dashboardOf } from '../../core/console-dashboard.ts';
import { DashboardPage } from '../../../views/admin/dashboard.tsx';
import type { AppDeps } from '../context.ts';
import type { ConsoleEnv, ConsoleKit } from './kit.ts';

export function createDashboardRoutes(deps: AppDeps, k: ConsoleKit) {
  const r = new Hono<ConsoleEnv>();
  k.add(r, 'GET', '/admin', 'read', async (c) => {
    const view = await dashboardOf(deps.core, { days: 90, campaigns: 10 });
    return c.html(<DashboardPage viewer={k.viewer(c)} view={view} />);
  });
  return r;
}
