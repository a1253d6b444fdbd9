import { Hono } from 'hono';
import { sendExport } from '../export-stream.ts';
import { actorOf, scope } from '../../auth/api-key.ts';
import { notFound } from '../../core/errors.ts';
import { checkSuppressions, exportSuppressions, suppressionChangesSince, suppressionsFor, suppressMany, unsuppress } from '../../core/suppressions.ts';
import type { SuppressionChangeRow, SuppressionRow } from '../../db/store.ts';
import { suppressionData } from '../../format/suppressions.ts';
import { iso } from '../../format/time.ts';
import { requestEvidence } from '../client-ip.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { readJson, readParams, readQuery } from '../validate.ts';
import { decodeCursor, encodeCursor, isSeq } from './cursor.ts';
import { chargeAddresses } from './rate-limit.ts';
import type { RouteDoc } from './doc.ts';
import {
  AddressSuppressions,
  AddSuppressionsRequest,
  AddSuppressionsResponse,
  CheckRequest,
  CheckResponse,
  EmailParams,
  ExportQuery,
  ListSuppressionsQuery,
  RemoveSuppressionQuery,
  RemoveSuppressionResponse,
  SuppressionChange,
  SuppressionPage,
  type Suppression,
} from './schemas.ts';
import type { z } from 'zod';

function changeView(row: SuppressionChangeRow): z.input<typeof SuppressionChange> {
  return { key: row.addressKey.toString('base64url'), ...suppressionData(row), deleted: row.deleted, changedAt: iso(row.changedAt) };
}

/** One address's suppression: the shared shape without the address, which the caller already named. */
function suppressionView(row: SuppressionRow): z.input<typeof Suppression> {
  const { email: _address, ...rest } = suppressionData(row);
  return rest;
}

/** The suppression list over HTTP: check, read, sync, add, remove, export. */
export function createSuppressionRoutes(deps: AppDeps) {
  const { core } = deps;
  return new Hono<AppEnv>()
    .post('/suppressions/check', scope('suppressions:read'), async (c) => {
      const input = await readJson(c, CheckRequest);
      await chargeAddresses(c, input.emails.length);
      const results = await checkSuppressions(core, input);
      return c.json({ results } satisfies z.input<typeof CheckResponse>);
    })
    .get('/suppressions', scope('suppressions:read'), async (c) => {
      const q = readQuery(c, ListSuppressionsQuery);
      const after = q.cursor === undefined ? 0 : decodeCursor('s', q.cursor, isSeq);
      const page = await suppressionChangesSince(core, { after, limit: q.limit, topic: q.topic, scope: q.scope, reason: q.reason, since: q.since });
      return c.json({ data: page.changes.map(changeView), nextCursor: encodeCursor('s', page.last), hasMore: page.more } satisfies z.input<typeof SuppressionPage>);
    })
    .get('/suppressions/export', scope('suppressions:read'), async (c) => {
      const q = readQuery(c, ExportQuery);
      return sendExport(c, exportSuppressions(core, { format: q.format, topic: q.topic, reason: q.reason }), q.format === 'csv' ? 'csv' : 'ndjson');
    })
    .get('/suppressions/:email', scope('suppressions:read'), async (c) => {
      const { email } = readParams(c, EmailParams);
      const found = await suppressionsFor(core, email);
      return c.json({ email: found.email, suppressed: found.suppressions.length > 0, suppressions: found.suppressions.map(suppressionView) } satisfies z.input<typeof AddressSuppressions>);
    })
    .post('/suppressions', scope('suppressions:write'), async (c) => {
      const input = await readJson(c, AddSuppressionsRequest);
      const results = await suppressMany(core, {
        items: input.suppressions.map((s) => ({ ...s, reason: s.reason ?? 'manual' })),
        source: 'api',
        actor: actorOf(c),
        request: requestEvidence(c),
      });
      const count = (status: string) => results.filter((r) => r.status === status).length;
      return c.json({ created: count('created'), existing: count('exists'), failed: count('error'), results } satisfies z.input<typeof AddSuppressionsResponse>);
    })
    .delete('/suppressions/:email', scope('suppressions:write'), async (c) => {
      const { email } = readParams(c, EmailParams);
      const q = readQuery(c, RemoveSuppressionQuery);
      const { removed } = await unsuppress(core, { email, scope: q.scope, override: q.override, source: 'api', actor: actorOf(c), request: requestEvidence(c) });
      if (removed === 0) throw notFound('suppression');
      return c.json({ removed } satisfies z.input<typeof RemoveSuppressionResponse>);
    });
}

const tag = 'Suppressions';
export const suppressionDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/suppressions/check',
    operationId: 'checkSuppressions',
    tag,
    scope: 'suppressions:read',
    summary: 'Check addresses before sending',
    description: 'Up to 10,000 addresses. A suppression applies when its scope is the topic or `*` and it has not lapsed.',
    body: CheckRequest,
    example: { body: { emails: ['ann@example.com', 'bob@example.com'], topic: 'newsletter' } },
    responses: { 200: { description: 'One result per address, in the order asked.', schema: CheckResponse } },
  },
  {
    method: 'get',
    path: '/suppressions',
    operationId: 'listSuppressions',
    tag,
    scope: 'suppressions:read',
    summary: 'List and sync the suppression list',
    description:
      'Without `cursor`: what stands now, page by page. Every answer has a `nextCursor`; store the last one. Called with it later, the answer holds everything changed since, removals as `deleted: true`, so a client that applies the changes in order (keyed by `key` and `scope`) ends with exactly the server\'s list. Keep the same filters when following a cursor.',
    query: ListSuppressionsQuery,
    example: { query: { limit: 2, topic: 'newsletter' } },
    responses: { 200: { description: 'A page of changes.', schema: SuppressionPage } },
  },
  {
    method: 'get',
    path: '/suppressions/export',
    operationId: 'exportSuppressions',
    tag,
    scope: 'suppressions:read',
    summary: 'Export the whole list (CSV or NDJSON, streamed)',
    description: 'Streamed in constant memory; suitable for millions of rows. CSV columns: email, scope, reason, source, created_at, expires_at. Erased addresses export with an empty email.',
    query: ExportQuery,
    example: { query: { format: 'ndjson' } },
    responses: {
      200: {
        description: 'The list, as a download (`Content-Disposition: attachment`).',
        content: {
          'text/csv': { schema: { type: 'string', description: 'With `format=csv` (the default): a header row, then one row per suppression, CRLF line ends; a cell a spreadsheet would run as a formula starts with `\'`.' } },
          'application/x-ndjson': {
            schema: { type: 'string', description: 'With `format=ndjson`: one JSON object per line, `{"email", "scope", "reason", "source", "createdAt", "expiresAt"}` (`email` null after erasure).' },
          },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/suppressions/:email',
    operationId: 'getAddressSuppressions',
    tag,
    scope: 'suppressions:read',
    summary: 'Suppressions of one address',
    params: EmailParams,
    example: { params: { email: 'bob@example.com' } },
    responses: { 200: { description: 'What stands for the address (lapsed ones left out).', schema: AddressSuppressions } },
  },
  {
    method: 'post',
    path: '/suppressions',
    operationId: 'addSuppressions',
    tag,
    scope: 'suppressions:write',
    summary: 'Add suppressions in bulk',
    description: 'Up to 10,000 per request, each answered on its own: a bad address or unknown topic fails that item only (named as `suppressions[3].email`); the rest are added. A malformed request as a whole is refused with 400 and changes nothing.',
    body: AddSuppressionsRequest,
    example: { body: { suppressions: [{ email: 'bob@example.com', reason: 'bounce' }, { email: 'cas@example.com', scope: 'marketing', reason: 'manual' }] } },
    responses: { 200: { description: 'Per-item results.', schema: AddSuppressionsResponse } },
  },
  {
    method: 'delete',
    path: '/suppressions/:email',
    operationId: 'removeSuppression',
    tag,
    scope: 'suppressions:write',
    summary: 'Remove a suppression',
    description: 'A `complaint` or `erasure` suppression is only removed with `override=true` (409 otherwise).',
    params: EmailParams,
    query: RemoveSuppressionQuery,
    example: { params: { email: 'bob@example.com' }, query: { scope: '*' } },
    responses: { 200: { description: 'Removed.', schema: RemoveSuppressionResponse }, 404: { description: 'No such suppression.' }, 409: { description: 'Protected reason; needs override.' } },
  },
];
