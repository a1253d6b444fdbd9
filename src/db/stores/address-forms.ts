import type Database from 'better-sqlite3';
import type { CounterSync } from './console-stats.ts';

/**
 * A data migration that needs the pepper, so SQL alone cannot do it: addresses stored before
 * internationalised domains were normalized to A-labels (core/email.ts) are rewritten, and
 * their suppressions rekeyed, once, at start. Recorded in `data_migrations` so it runs once.
 *
 * Only rows that still hold the address can be rekeyed. A suppression whose address was already
 * erased is a key alone: it keeps matching the old (U-label) spelling only.
 */
export const ADDRESS_FORMS_MIGRATION = 'idna-a-label-addresses';

export interface AddressFormsResult {
  contacts: number;
  /** Contacts left as they were: another contact already has the normalized address. */
  conflicts: number;
  suppressions: number;
}

export function migrateAddressFormsSync(sqlite: Database.Database, counters: CounterSync, input: { normalize: (email: string) => string | null; key: (email: string) => Buffer; at: number }): AddressFormsResult | null {
  const done = sqlite.prepare('SELECT 1 FROM data_migrations WHERE name = ?').get(ADDRESS_FORMS_MIGRATION);
  if (done) return null;
  // Non-ASCII addresses are the only ones whose form changes (byte length ≠ character length).
  const NON_ASCII = 'length(email) <> length(CAST(email AS BLOB))';
  return sqlite.transaction((): AddressFormsResult => {
    const result: AddressFormsResult = { contacts: 0, conflicts: 0, suppressions: 0 };
    const owner = sqlite.prepare('SELECT id FROM contacts WHERE email = ?');
    const setContact = sqlite.prepare('UPDATE contacts SET email = ? WHERE id = ?');
    for (const row of sqlite.prepare(`SELECT id, email FROM contacts WHERE email IS NOT NULL AND ${NON_ASCII}`).all() as Array<{ id: string; email: string }>) {
      const email = input.normalize(row.email);
      if (!email || email === row.email) continue;
      if (owner.get(email)) {
        result.conflicts++;
        continue;
      }
      setContact.run(email, row.id);
      result.contacts++;
    }

    const move = sqlite.prepare('UPDATE OR IGNORE suppressions SET address_key = @key, email = @email WHERE id = @id');
    const drop = sqlite.prepare<[number], { reason: string }>('DELETE FROM suppressions WHERE id = ? RETURNING reason');
    const moveChange = sqlite.prepare('UPDATE OR REPLACE suppression_changes SET address_key = @key, email = @email WHERE address_key = @old AND scope = @scope');
    const moveEvents = sqlite.prepare('UPDATE webhook_events SET address_key = @key WHERE address_key = @old');
    for (const row of sqlite.prepare(`SELECT id, address_key AS old, scope, email FROM suppressions WHERE email IS NOT NULL AND ${NON_ASCII}`).all() as Array<{ id: number; old: Buffer; scope: string; email: string }>) {
      const email = input.normalize(row.email);
      if (!email || email === row.email) continue;
      const key = input.key(email);
      // A suppression of the normalized address for this scope may stand already: it wins.
      if (move.run({ key, email, id: row.id }).changes === 0) {
        const dropped = drop.get(row.id);
        if (dropped) counters.suppressionMerged(dropped.reason);
      }
      moveChange.run({ key, email, old: row.old, scope: row.scope });
      moveEvents.run({ key, old: row.old });
      result.suppressions++;
    }
    for (const row of sqlite.prepare(`SELECT jti, email FROM pending_email_changes WHERE ${NON_ASCII}`).all() as Array<{ jti: string; email: string }>) {
      const email = input.normalize(row.email);
      if (email && email !== row.email) sqlite.prepare('UPDATE pending_email_changes SET email = ? WHERE jti = ?').run(email, row.jti);
    }
    sqlite.prepare('INSERT INTO data_migrations (name, done_at) VALUES (?, ?)').run(ADDRESS_FORMS_MIGRATION, input.at);
    return result;
  })();
}
