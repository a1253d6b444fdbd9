import { Hono } from 'hono';
import type { PasswordHasher } from '../../auth/passwords.ts';
import type { AppDeps } from '../context.ts';
import { createConsoleAuthRoutes } from './auth.tsx';
import { createContactRoutes } from './contacts.tsx';
import { createDashboardRoutes } from './dashboard.tsx';
import { createSuppressionRoutes } from './suppressions.tsx';
import { createLedgerRoutes } from './ledger.tsx';
import { createRequestRoutes } from './requests.tsx';
import { createSettingsRoutes } from './settings.tsx';
import { createApiKeySettingsRoutes } from './settings-api-keys.tsx';
import { createSigningKeySettingsRoutes } from './settings-signing-keys.tsx';
import { createWebhookSettingsRoutes } from './settings-webhooks.tsx';
import { createTopicSettingsRoutes } from './settings-topics.tsx';
import { createOperatorSettingsRoutes } from './settings-operators.tsx';
import { createTemplateSettingsRoutes } from './settings-templates.tsx';
import { createConsoleKit, type ConsoleEnv } from './kit.ts';

/**
 * The operator console under /admin: operator sessions only (never a subscriber's), a
 * permission on every route (src/auth/roles.ts), the Origin check and a per-session token on
 * every form, no-store on every answer. Handlers are thin: they validate, call a core verb and
 * render a view from views/admin/.
 */
export function createConsoleRoutes(deps: AppDeps, options: { passwords?: PasswordHasher | undefined } = {}) {
  const kit = createConsoleKit(deps, options);
  const app = new Hono<ConsoleEnv>();
  app.use('/admin', kit.session);
  app.use('/admin/*', kit.session);
  app.use('/admin/*', kit.sameOrigin);
  app.route('/', createConsoleAuthRoutes(deps, kit));
  app.route('/', createDashboardRoutes(deps, kit));
  app.route('/', createContactRoutes(deps, kit));
  app.route('/', createRequestRoutes(deps, kit));
  app.route('/', createSuppressionRoutes(deps, kit));
  app.route('/', createLedgerRoutes(deps, kit));
  app.route('/', createSettingsRoutes(deps, kit));
  app.route('/', createApiKeySettingsRoutes(deps, kit));
  app.route('/', createSigningKeySettingsRoutes(deps, kit));
  app.route('/', createWebhookSettingsRoutes(deps, kit));
  app.route('/', createTopicSettingsRoutes(deps, kit));
  app.route('/', createOperatorSettingsRoutes(deps, kit));
  app.route('/', createTemplateSettingsRoutes(deps, kit));
  return { app, permissions: kit.permissions as ReadonlyMap<string, string> };
}
