import { parse } from 'csv-parse';
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { ImportProgress } from '../db/stores/suppression-imports.ts';
import type { CoreDeps } from './deps.ts';
import { suppressMany, type BulkSuppressItem } from './suppressions.ts';

/** Rows handed to the bulk add at once (it writes them in units of 1,000 through the write queue). */
const CHUNK = 5000;
/** Row errors kept for the report; the count is always exact. */
const KEEP_ERRORS = 200;
const REASONS = new Set(['unsubscribe', 'bounce', 'complaint', 'manual']);

export interface ImportResult extends ImportProgress {
  id: string;
  status: 'done' | 'failed';
  message: string | null;
}

/** Start an import job for a file already on disk; its id is what the progress page shows. */
export async function startSuppressionImport(deps: CoreDeps, input: { file: string; fileName: string; operatorId: string | null }): Promise<string> {
  const id = 'imp_' + randomBytes(9).toString('base64url');
  await deps.store.imports.start({ id, operatorId: input.operatorId, fileName: input.fileName.slice(0, 200), bytesTotal: statSync(input.file).size, at: deps.clock.now() });
  return id;
}

/**
 * Import suppressions from a CSV file (the export's own columns: `email` required; `scope`
 * (topic or *, default *), `reason` (unsubscribe, bounce, complaint, manual; default manual),
 * `expires_at` (ISO 8601, optional); others ignored). The file is read as a stream and added a
 * chunk at a time, so memory stays flat however long the file. Each row is checked on its own:
 * a bad row is reported with its line and field and the rest go in. Idempotent: a row already on
 * the list counts as existing and writes nothing, so a re-upload changes nothing.
 */
export async function runSuppressionImport(deps: CoreDeps, input: { id: string; file: string; actor: string | null; onProgress?: ((p: ImportProgress, bytesTotal: number) => void) | undefined }): Promise<ImportResult> {
  const job = await deps.store.imports.byId(input.id);
  if (!job) throw new Error(`import ${input.id} not found`);
  const progress: ImportProgress = { bytesRead: 0, rows: 0, created: 0, existing: 0, failed: 0, errors: [] };
  const fail = (line: number, field: string, message: string) => {
    progress.failed++;
    if (progress.errors.length < KEEP_ERRORS) progress.errors.push({ line, field, message });
  };
  const source = createReadStream(input.file);
  const parser = source.pipe(parse({ columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, max_record_size: 4096, info: true }));
  let batch: Array<{ line: number; item: BulkSuppressItem }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const results = await suppressMany(deps, { items: batch.map((b) => b.item), source: 'import', actor: input.actor ?? undefined });
    for (const r of results) {
      if (r.status === 'created') progress.created++;
      else if (r.status === 'exists') progress.existing++;
      else if (r.status === 'error') fail(batch[r.index]!.line, r.error.field.replace(/^suppressions\[\d+\]\./, ''), r.error.message);
    }
    batch = [];
    progress.errors.sort((a, b) => a.line - b.line);
    progress.bytesRead = source.bytesRead;
    await deps.store.imports.progress(input.id, progress);
    input.onProgress?.(progress, job.bytesTotal);
  };
  let status: 'done' | 'failed' = 'done';
  let message: string | null = null;
  try {
    let checkedHeader = false;
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const line = info.lines;
      if (!checkedHeader) {
        checkedHeader = true;
        if (!('email' in record)) throw new ImportFileError('the first line must name the columns, one of them "email"');
      }
      progress.rows++;
      const item = rowToItem(record, deps.clock.now());
      if ('error' in item) fail(line, item.field, item.error);
      else batch.push({ line, item });
      if (batch.length >= CHUNK) await flush();
    }
    await flush();
    progress.bytesRead = job.bytesTotal;
  } catch (err) {
    status = 'failed';
    message = err instanceof ImportFileError ? err.message : `the file could not be read as CSV${err instanceof Error && 'code' in err ? ` (${String((err as { code: unknown }).code)})` : ''}`;
    source.destroy();
  }
  await deps.store.imports.progress(input.id, progress);
  await deps.store.imports.finish(input.id, { status, message, at: deps.clock.now() });
  input.onProgress?.(progress, job.bytesTotal);
  return { id: input.id, status, message, ...progress };
}

class ImportFileError extends Error {}

function rowToItem(record: Record<string, string>, now: number): BulkSuppressItem | { field: string; error: string } {
  // The export prefixes cells a spreadsheet would run as formulas with ' (CSV injection): undo it.
  const cell = (name: string) => {
    const v = (record[name] ?? '').trim();
    return /^'[=+\-@]/.test(v) ? v.slice(1) : v;
  };
  const email = cell('email');
  if (!email) return { field: 'email', error: 'is empty' };
  const reason = cell('reason') || 'manual';
  if (!REASONS.has(reason)) return { field: 'reason', error: `must be one of ${[...REASONS].join(', ')}` };
  const expires = cell('expires_at');
  let expiresAt: number | undefined;
  if (expires) {
    expiresAt = Date.parse(expires);
    if (!Number.isFinite(expiresAt)) return { field: 'expires_at', error: 'is not an ISO 8601 date' };
    if (expiresAt <= now) return { field: 'expires_at', error: 'lies in the past' };
  }
  return { email, scope: cell('scope') || '*', reason: reason as BulkSuppressItem['reason'], ...(expiresAt === undefined ? {} : { expiresAt }) };
}

export async function importJob(deps: CoreDeps, id: string) {
  return deps.store.imports.byId(id);
}

export async function recentImports(deps: CoreDeps, limit = 10) {
  return deps.store.imports.recent(limit);
}
