import Busboy from 'busboy';
import { Hono } from 'hono';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OptboxError } from '../../core/errors.ts';
import { recordAudit } from '../../core/operators.ts';
import { importJob, recentImports, runSuppressionImport, startSuppressionImport } from '../../core/suppression-import.ts';
import { browseSuppressions, exportSuppressions, suppress, unsuppress } from '../../core/suppressions.ts';
import { allTopics } from '../../core/topics.ts';
import { ImportPage, ImportProgressPage, SOURCES, SuppressionsPage } from '../../../views/admin/suppressions.tsx';
import { requestEvidence } from '../client-ip.ts';
import type { AppDeps } from '../context.ts';
import { sendExport } from '../export-stream.ts';
import { requestLogger } from '../request-log.ts';
import { notAChoice } from '../form.ts';
import { field, param, wholeQuery, type ConsoleContext, type ConsoleEnv, type ConsoleKit } from './kit.ts';

const PAGE = 50;
const MAX_UPLOAD_MB = 200;
const DAY = 86_400_000;

/** The suppression list: browse and filter, add, remove, export, and CSV import with a progress page. */
export function createSuppressionRoutes(deps: AppDeps, k: ConsoleKit) {
  const { core } = deps;
  const r = new Hono<ConsoleEnv>();
  const by = (c: ConsoleContext) => ({ source: 'admin' as const, actor: k.actor(c), request: requestEvidence(c) });

  k.add(r, 'GET', '/admin/suppressions', 'read', async (c) => {
    const q = c.req.query();
    const topics = await allTopics(core);
    const pick = (v: string | undefined, allowed: string[]) => (v && allowed.includes(v) ? v : '');
    const day = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) && Number.isFinite(Date.parse(v)) ? v : '');
    const filter = {
      reason: pick(q.reason, ['unsubscribe', 'bounce', 'complaint', 'manual', 'erasure']),
      scope: pick(q.scope, ['*', ...topics.map((t) => t.id)]),
      source: pick(q.source, SOURCES),
      from: day(q.from),
      to: day(q.to),
    };
    const before = wholeQuery(c, 'before');
    const rows = await browseSuppressions(
      core,
      { reason: filter.reason || undefined, scope: filter.scope || undefined, source: filter.source || undefined, from: filter.from ? Date.parse(filter.from) : undefined, to: filter.to ? Date.parse(filter.to) + DAY : undefined, before },
      PAGE + 1,
    );
    const next = rows.length > PAGE ? `/admin/suppressions?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v)), before: String(rows[PAGE - 1]!.id) }).toString()}` : null;
    const done = q.done;
    const notice = done === 'added' ? 'Suppression added.' : done === 'removed' ? 'Suppression removed.' : done === 'nothing' ? 'Nothing changed.' : undefined;
    return c.html(<SuppressionsPage viewer={k.viewer(c)} topics={topics} filter={filter} rows={rows.slice(0, PAGE)} next={next} notice={notice} />);
  });

  k.add(r, 'POST', '/admin/suppressions/add', 'suppressions', async (c) => {
    const body = c.get('form');
    const reason = field(body, 'reason');
    if (reason !== 'manual' && reason !== 'bounce' && reason !== 'complaint') notAChoice('reason');
    const note = field(body, 'note', { max: 300 });
    const email = field(body, 'email', { max: 254 });
    const scope = field(body, 'scope', { max: 100 });
    const { created } = await suppress(core, { email, scope, reason, ...by(c) });
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'suppression.add', detail: { scope, reason, note } });
    return k.seeOther(c, `/admin/suppressions?done=${created ? 'added' : 'nothing'}`);
  });

  k.add(r, 'POST', '/admin/suppressions/remove', 'suppressions', async (c) => {
    const body = c.get('form');
    const note = field(body, 'note', { max: 300 });
    const email = field(body, 'email', { max: 254 });
    const scope = field(body, 'scope', { max: 100 });
    const override = body.override === '1';
    const { removed } = await unsuppress(core, { email, scope, override, ...by(c) });
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'suppression.remove', detail: { scope, override, note } });
    return k.seeOther(c, `/admin/suppressions?done=${removed ? 'removed' : 'nothing'}`);
  });

  // The same export as GET /api/v1/suppressions/export, streamed.
  k.add(r, 'GET', '/admin/suppressions/export', 'read', async (c) => {
    const format = c.req.query('format') === 'ndjson' ? 'ndjson' : 'csv';
    const reason = c.req.query('reason') as 'bounce' | undefined;
    const res = await sendExport(c, exportSuppressions(core, { format, topic: c.req.query('topic') || undefined, reason: reason || undefined }), format);
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'suppression.export' });
    return res;
  });

  k.add(r, 'GET', '/admin/suppressions/import', 'read', async (c) => c.html(<ImportPage viewer={k.viewer(c)} recent={await recentImports(core)} maxMb={MAX_UPLOAD_MB} />));

  /**
   * The upload is streamed to a temp file (never held in memory), the form token checked from
   * the field that comes before the file, and the import runs beside the requests; the answer
   * is a redirect to its progress page.
   */
  k.add(
    r,
    'POST',
    '/admin/suppressions/import',
    'suppressions',
    async (c) => {
      const operator = k.operator(c);
      if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '') || !c.req.raw.body) throw new OptboxError('unsupported_media_type', 'expected a file upload');
      const dir = await mkdtemp(join(tmpdir(), 'optbox-import-'));
      const file = join(dir, 'upload.csv');
      let upload: { name: string; tooLarge: boolean } | null = null;
      let token = '';
      let written: Promise<void> = Promise.resolve();
      try {
        const bb = Busboy({ headers: Object.fromEntries(c.req.raw.headers), limits: { files: 1, fields: 5, fileSize: MAX_UPLOAD_MB * 1024 * 1024 } });
        bb.on('field', (name, value) => {
          if (name === '_csrf') token = value;
        });
        bb.on('file', (_name, data, info) => {
          if (token !== k.csrfToken(operator) || upload) {
            data.resume();
            return;
          }
          const current = { name: info.filename || 'upload.csv', tooLarge: false };
          upload = current;
          data.on('limit', () => (current.tooLarge = true));
          written = pipeline(data, createWriteStream(file));
        });
        await pipeline(Readable.fromWeb(c.req.raw.body as import('node:stream/web').ReadableStream), bb);
        await written;
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        if (err instanceof OptboxError) throw err;
        throw new OptboxError('invalid_input', 'the upload could not be read');
      }
      const got = upload as { name: string; tooLarge: boolean } | null;
      if (token !== k.csrfToken(operator)) {
        await rm(dir, { recursive: true, force: true });
        throw new OptboxError('forbidden', 'the form has expired: reload the page and try again');
      }
      if (!got || got.tooLarge) {
        await rm(dir, { recursive: true, force: true });
        return c.html(<ImportPage viewer={k.viewer(c)} recent={await recentImports(core)} maxMb={MAX_UPLOAD_MB} error={got ? `The file is larger than ${MAX_UPLOAD_MB} MB.` : 'Choose a CSV file to import.'} />, got ? 413 : 400);
      }
      const id = await startSuppressionImport(core, { file, fileName: got.name, operatorId: operator.operatorId });
      await recordAudit(core, { operatorId: operator.operatorId, action: 'suppression.import', target: id, detail: { file: got.name } });
      void runSuppressionImport(core, { id, file, actor: k.actor(c) })
        .catch((err: unknown) => requestLogger(c, deps.logger).error({ err, import: id }, 'suppression import failed'))
        .finally(() => void rm(dir, { recursive: true, force: true }));
      return k.seeOther(c, `/admin/suppressions/import/${id}`);
    },
    { streamed: true },
  );

  k.add(r, 'GET', '/admin/suppressions/import/:id', 'read', async (c) => {
    const job = await importJob(core, param(c, 'id'));
    if (!job) throw new OptboxError('not_found', 'no such import');
    return c.html(<ImportProgressPage viewer={k.viewer(c)} job={job} />);
  });

  return r;
}
