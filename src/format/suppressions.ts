import type { SuppressionRow } from '../db/schema/index.ts';
import { isoFormatter, isoOrNull, iso } from './time.ts';

/** One row of the export as the store reads it: id, email, scope, reason, source, created_at, expires_at. */
export type ExportRow = [number, string | null, string, string, string, number, number | null];

/**
 * How a suppression is written out: as JSON (the API and the webhook payloads share one shape)
 * and as CSV or NDJSON lines (the export).
 */

/** A suppression as the API and webhooks show it. */
export function suppressionData(row: Pick<SuppressionRow, 'email' | 'scope' | 'reason' | 'source' | 'createdAt' | 'expiresAt'>) {
  return {
    email: row.email,
    scope: row.scope,
    reason: row.reason,
    source: row.source,
    createdAt: iso(row.createdAt),
    expiresAt: isoOrNull(row.expiresAt),
  };
}

/**
 * Lines of the export, a page of raw rows at a time. In CSV a cell that a spreadsheet would run
 * as a formula (= + - @) is prefixed with ' (OWASP CSV injection); NDJSON carries values as they
 * are. Times are formatted with one isoFormatter per export (the date part made once per day).
 */
export function exportFormatter(format: 'csv' | 'ndjson'): { header: string | null; rows(rows: ExportRow[]): string } {
  const isoOf = isoFormatter();
  if (format === 'csv') {
    return {
      header: 'email,scope,reason,source,created_at,expires_at\r\n',
      rows(rows) {
        let chunk = '';
        for (const [, email, scope, reason, source, createdAt, expiresAt] of rows) {
          chunk += `${email === null ? '' : csvCell(email)},${csvCell(scope)},${reason},${csvCell(source)},${isoOf(createdAt)},${expiresAt === null ? '' : isoOf(expiresAt)}\r\n`;
        }
        return chunk;
      },
    };
  }
  return {
    header: null,
    rows(rows) {
      let chunk = '';
      for (const [, email, scope, reason, source, createdAt, expiresAt] of rows) {
        chunk += `{"email":${email === null ? 'null' : JSON.stringify(email)},"scope":${JSON.stringify(scope)},"reason":"${reason}","source":${JSON.stringify(source)},"createdAt":"${isoOf(createdAt)}","expiresAt":${expiresAt === null ? 'null' : `"${isoOf(expiresAt)}"`}}\n`;
      }
      return chunk;
    },
  };
}

/** RFC 4180 quoting where needed, and no formula for spreadsheets. */
function csvCell(value: string): string {
  const first = value.charCodeAt(0);
  // = + - @ TAB CR
  const safe = first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13 ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
