import { Hono } from 'hono';
import { API_SCOPES, createApiKey, listApiKeys, revokeApiKey } from '../../core/api-keys.ts';
import { invalidInput, OptboxError } from '../../core/errors.ts';
import { recordAudit } from '../../core/operators.ts';
import { listWebhookEndpoints } from '../../core/webhooks.ts';
import { ApiKeysPage, type ApiKeyFormValues } from '../../../views/admin/settings-api-keys.tsx';
import type { AppDeps } from '../context.ts';
import { list } from '../form.ts';
import { param, type ConsoleContext, type ConsoleEnv, type ConsoleKit } from './kit.ts';

const BASE = '/admin/settings/api-keys';

/**
 * API keys: the list (hashes only), creating one (its secret is in the answer to that POST and
 * nowhere else: not a redirect, a URL or a log line) and revoking one.
 */
export function createApiKeySettingsRoutes(deps: AppDeps, k: ConsoleKit) {
  const { core } = deps;
  const r = new Hono<ConsoleEnv>();
  async function page(c: ConsoleContext, extra: Partial<Parameters<typeof ApiKeysPage>[0]> = {}, status: 200 | 400 = 200) {
    const endpoints = new Map<string, number>();
    for (const e of await listWebhookEndpoints(core)) if (e.apiKeyId !== null) endpoints.set(e.apiKeyId, (endpoints.get(e.apiKeyId) ?? 0) + 1);
    return c.html(<ApiKeysPage viewer={k.viewer(c)} keys={await listApiKeys(core)} endpoints={endpoints} scopes={API_SCOPES} {...extra} />, status);
  }

  k.add(r, 'GET', BASE, 'read', (c) => page(c, { notice: c.req.query('done') === 'revoked' ? 'The key is revoked: the API refuses it from now on.' : undefined }));

  k.add(r, 'POST', BASE, 'settings', async (c) => {
    const body = c.get('form');
    const values: ApiKeyFormValues = { name: typeof body.name === 'string' ? body.name.trim() : '', scopes: list(body.scopes) };
    let created: { id: string; key: string; scopes: string[] };
    try {
      if (values.scopes.length === 0) throw invalidInput('scopes', 'choose at least one');
      created = await createApiKey(core, { name: values.name, scopes: values.scopes });
    } catch (err) {
      if (err instanceof OptboxError && err.code === 'invalid_input') return page(c, { values, error: err.message }, 400);
      throw err;
    }
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'api-key.create', target: created.id, detail: { name: values.name, scopes: created.scopes } });
    return page(c, { created: { name: values.name, key: created.key } });
  });

  k.add(r, 'POST', `${BASE}/:id/revoke`, 'settings', async (c) => {
    const id = param(c, 'id');
    await revokeApiKey(core, id);
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'api-key.revoke', target: id });
    return k.seeOther(c, `${BASE}?done=revoked`);
  });

  return r;
}
