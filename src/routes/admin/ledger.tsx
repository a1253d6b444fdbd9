import { Hono } from 'hono';
import { verifyLedger } from '../../core/ledger.ts';
import { recordAudit } from '../../core/operators.ts';
import { LedgerPage } from '../../../views/admin/ledger.tsx';
import type { AppDeps } from '../context.ts';
import type { ConsoleEnv, ConsoleKit } from './kit.ts';

/** The ledger integrity check. A GET only shows the button: the walk reads every row, so it runs on a POST. */
export function createLedgerRoutes(deps: AppDeps, k: ConsoleKit) {
  const r = new Hono<ConsoleEnv>();
  k.add(r, 'GET', '/admin/ledger', 'read', (c) => c.html(<LedgerPage viewer={k.viewer(c)} />));
  // 'self': a viewer may run the check (it changes no data; the audit line records who ran it).
  k.add(r, 'POST', '/admin/ledger/verify', 'self', async (c) => {
    const started = performance.now();
    const result = await verifyLedger(deps.core);
    await recordAudit(deps.core, { operatorId: k.operator(c).operatorId, action: 'ledger.verify', detail: result.ok ? { ok: true, rows: result.rows } : { ok: false, brokenAt: result.brokenAt } });
    return c.html(<LedgerPage viewer={k.viewer(c)} result={result} ms={performance.now() - started} />, result.ok ? 200 : 409);
  });
  return r;
}
