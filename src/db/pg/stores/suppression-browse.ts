import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import type { SuppressionRow } from '../../schema/index.ts';
import type { BrowseFilter } from '../../stores/suppression-browse.ts';

/** The console's suppression list, newest first, keyset-paged by id (as on SQLite: src/db/stores/suppression-browse.ts). */
export function createPgSuppressionBrowseStore(deps: PgStoreDeps): Store['suppressionBrowse'] {
  return {
    async page(filter: BrowseFilter, limit: number): Promise<Array<Omit<SuppressionRow, 'addressKey'>>> {
      const { rows } = await deps.orm.$client.query<Omit<SuppressionRow, 'addressKey'>>(
        `SELECT id, email, scope, reason, source, created_at AS "createdAt", expires_at AS "expiresAt" FROM suppressions
         WHERE ($1::int8 IS NULL OR id < $1) AND ($2::text IS NULL OR reason = $2) AND ($3::text IS NULL OR scope = $3)
           AND ($4::text IS NULL OR source = $4) AND ($5::int8 IS NULL OR created_at >= $5) AND ($6::int8 IS NULL OR created_at < $6)
         ORDER BY id DESC LIMIT $7`,
        [filter.before ?? null, filter.reason ?? null, filter.scope ?? null, filter.source ?? null, filter.from ?? null, filter.to ?? null, limit],
      );
      return rows;
    },
  };
}
