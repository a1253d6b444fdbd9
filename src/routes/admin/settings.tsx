import { Hono } from 'hono';
import { SettingsPage } from '../../../views/admin/settings.tsx';
import type { AppDeps } from '../context.ts';
import type { ConsoleEnv, ConsoleKit } from './kit.ts';

/** The settings index. Each section has its own route file (settings-*.tsx). */
export function createSettingsRoutes(_deps: AppDeps, k: ConsoleKit) {
  const r = new Hono<ConsoleEnv>();
  k.add(r, 'GET', '/admin/settings', 'read', (c) => c.html(<SettingsPage viewer={k.viewer(c)} />));
  return r;
}
