import { Hono } from 'hono';
import { invalidInput, OptboxError } from '../../core/errors.ts';
import { recordAudit } from '../../core/operators.ts';
import { listSigningKeys, retireSigningKey, rotateSigningKeyNow } from '../../core/signing-keys.ts';
import { SigningKeysPage, type SigningKeysPageProps } from '../../../views/admin/settings-signing-keys.tsx';
import type { AppDeps } from '../context.ts';
import { field, type ConsoleContext, type ConsoleEnv, type ConsoleKit } from './kit.ts';

const BASE = '/admin/settings/signing-keys';
const NOTICES: Record<string, string> = {
  rotated: 'A new key signs new links from now on; the old keys keep verifying the links they signed.',
  retired: 'The key is retired: links signed with it no longer work.',
};

/** Link signing keys: the list (kids only), rotating now, and retiring a leaked key. */
export function createSigningKeySettingsRoutes(deps: AppDeps, k: ConsoleKit) {
  const { core } = deps;
  const r = new Hono<ConsoleEnv>();
  const page = async (c: ConsoleContext, extra: Partial<SigningKeysPageProps> = {}, status: 200 | 400 | 409 = 200) =>
    c.html(<SigningKeysPage viewer={k.viewer(c)} {...await listSigningKeys(core)} {...extra} />, status);

  k.add(r, 'GET', BASE, 'read', (c) => page(c, { notice: NOTICES[c.req.query('done') ?? ''] }));

  k.add(r, 'POST', `${BASE}/rotate`, 'settings', async (c) => {
    const { kid } = await rotateSigningKeyNow(core);
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'signing-key.rotate', target: kid });
    return k.seeOther(c, `${BASE}?done=rotated`);
  });

  k.add(r, 'POST', `${BASE}/retire`, 'settings', async (c) => {
    const body = c.get('form');
    let kid = '';
    try {
      kid = field(body, 'kid', { max: 64 });
      if (body.confirm !== 'yes') throw invalidInput('confirm', 'tick the box to confirm that links signed with this key stop working');
      await retireSigningKey(core, kid);
    } catch (err) {
      if (err instanceof OptboxError && (err.code === 'invalid_input' || err.code === 'conflict')) return page(c, { error: err.message, retire: { kid } }, err.code === 'conflict' ? 409 : 400);
      throw err;
    }
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'signing-key.retire', target: kid });
    return k.seeOther(c, `${BASE}?done=retired`);
  });

  return r;
}
