import type { PgStoreDeps } from '../sync.ts';
import { LOCK_MIGRATE } from '../client.ts';
import { ADDRESS_FORMS_MIGRATION, type AddressFormsResult } from '../../stores/address-forms.ts';
import { pgCounters } from './console-stats.ts';

// Non-ASCII addresses are the only ones whose form changes (byte length ≠ character length).
const NON_ASCII = 'length(email) <> octet_length(email)';

/**
 * The start-up data migration of src/db/stores/address-forms.ts (what it does and why: see
 * there), on PostgreSQL. Instances that start together run it once: each takes the migration
 * lock for its transaction, and whoever comes second finds it recorded in `data_migrations`.
 */
export async function migratePgAddressForms(deps: PgStoreDeps, input: { normalize: (email: string) => string | null; key: (email: string) => Buffer; at: number }): Promise<AddressFormsResult | null> {
  const [done] = (await deps.orm.$client.query('SELECT 1 FROM data_migrations WHERE name = $1', [ADDRESS_FORMS_MIGRATION])).rows;
  if (done) return null;
  return deps.transact(async ({ query }) => {
    await query('SELECT pg_advisory_xact_lock($1)', [LOCK_MIGRATE.toString()]);
    if ((await query('SELECT 1 FROM data_migrations WHERE name = $1', [ADDRESS_FORMS_MIGRATION])).length > 0) return null;
    const result: AddressFormsResult = { contacts: 0, conflicts: 0, suppressions: 0 };

    for (const row of await query<{ id: string; email: string }>(`SELECT id, email FROM contacts WHERE email IS NOT NULL AND ${NON_ASCII}`)) {
      const email = input.normalize(row.email);
      if (!email || email === row.email) continue;
      if ((await query('SELECT 1 FROM contacts WHERE email = $1', [email])).length > 0) {
        result.conflicts++;
        continue;
      }
      await query('UPDATE contacts SET email = $1 WHERE id = $2', [email, row.id]);
      result.contacts++;
    }

    for (const row of await query<{ id: number; old: Buffer; scope: string; email: string }>(`SELECT id, address_key AS old, scope, email FROM suppressions WHERE email IS NOT NULL AND ${NON_ASCII} ORDER BY id`)) {
      const email = input.normalize(row.email);
      if (!email || email === row.email) continue;
      const key = input.key(email);
      // A suppression of the normalized address for this scope may stand already: it wins (SQLite's UPDATE OR IGNORE).
      const moved = await query('UPDATE suppressions AS s SET address_key = $1, email = $2 WHERE s.id = $3 AND NOT EXISTS (SELECT 1 FROM suppressions AS o WHERE o.address_key = $1 AND o.scope = s.scope) RETURNING id', [key, email, row.id]);
      if (moved.length === 0) {
        const [dropped] = await query<{ reason: string }>('DELETE FROM suppressions WHERE id = $1 RETURNING reason', [row.id]);
        if (dropped) await pgCounters.suppressionMerged(query, dropped.reason);
      }
      // SQLite's UPDATE OR REPLACE: the new key's change row gives way to the moved one.
      const params = [key, row.scope, row.old];
      await query('DELETE FROM suppression_changes WHERE address_key = $1 AND scope = $2 AND EXISTS (SELECT 1 FROM suppression_changes WHERE address_key = $3 AND scope = $2)', params);
      await query('UPDATE suppression_changes SET address_key = $1, email = $4 WHERE address_key = $3 AND scope = $2', [...params, email]);
      await query('UPDATE webhook_events SET address_key = $1 WHERE address_key = $2', [key, row.old]);
      result.suppressions++;
    }

    for (const row of await query<{ jti: string; email: string }>(`SELECT jti, email FROM pending_email_changes WHERE ${NON_ASCII}`)) {
      const email = input.normalize(row.email);
      if (email && email !== row.email) await query('UPDATE pending_email_changes SET email = $1 WHERE jti = $2', [email, row.jti]);
    }
    await query('INSERT INTO data_migrations (name, done_at) VALUES ($1, $2)', [ADDRESS_FORMS_MIGRATION, input.at]);
    return result;
  });
}
