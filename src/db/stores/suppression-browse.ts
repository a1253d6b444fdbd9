import type Database from 'better-sqlite3';
import type { SuppressionRow } from '../schema/index.ts';

export interface BrowseFilter {
  reason?: string | undefined;
  scope?: string | undefined;
  source?: string | undefined;
  /** created_at bounds, ms, from inclusive, to exclusive. */
  from?: number | undefined;
  to?: number | undefined;
  /** Keyset paging: rows with an id below this one (newest first). */
  before?: number | undefined;
}

/**
 * The console's suppression list, newest first, filtered, a page at a time by id (keyset:
 * page 1,000 costs what page 1 does). Filters narrow a walk down the primary key; common
 * filters fill a page quickly, a rare one may read further before it has a page.
 */
export function createSuppressionBrowseStore(sqlite: Database.Database) {
  const page = sqlite.prepare<Record<string, unknown>>(`
    SELECT id, email, scope, reason, source, created_at AS createdAt, expires_at AS expiresAt FROM suppressions
    WHERE (@before IS NULL OR id < @before) AND (@reason IS NULL OR reason = @reason) AND (@scope IS NULL OR scope = @scope)
      AND (@source IS NULL OR source = @source) AND (@from IS NULL OR created_at >= @from) AND (@to IS NULL OR created_at < @to)
    ORDER BY id DESC LIMIT @limit`);
  return {
    async page(filter: BrowseFilter, limit: number): Promise<Array<Omit<SuppressionRow, 'addressKey'>>> {
      return page.all({ before: filter.before ?? null, reason: filter.reason ?? null, scope: filter.scope ?? null, source: filter.source ?? null, from: filter.from ?? null, to: filter.to ?? null, limit }) as Array<Omit<SuppressionRow, 'addressKey'>>;
    },
  };
}
