import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createWebhookEndpoint } from '../../src/core/webhooks.ts';
import { form, json, makeTestApp, type TestApp } from '../helpers/app.ts';

/** /metrics scraped from the real app and parsed as Prometheus text (exposition format 0.0.4). */
let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict little parser of the text format: every line is a comment or a sample, or it fails. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);

describe('/metrics', () => {
  it('reports requests by route pattern, latency, unsubscribes by source, suppression checks and hits, outbox depth and ledger length', async () => {
    const link = await t.linkFor('ann@example.com', 'newsletter');
    await createWebhookEndpoint(t.core, { url: 'https://hooks.example.com/optbox', events: ['subscription.updated'], actor: 'test', apiKeyId: null, limits: t.config.webhookEndpoints });
    expect((await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click' }))).status).toBe(200);
    await t.app.request('/no/such/page');
    const check = await t.api('/api/v1/suppressions/check', { body: { emails: ['ann@example.com', 'bob@example.com'], topic: 'newsletter' } });
    expect(check.status).toBe(200);

    const res = await t.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).not.toContain(link.path.slice(3, 40)); // no token in a label
    expect(text).not.toContain('ann@example.com');
    const { samples, types } = parsePrometheus(text);

    expect(types.get('optbox_http_requests_total')).toBe('counter');
    expect(types.get('optbox_http_request_duration_seconds')).toBe('histogram');
    expect(value(samples, 'optbox_http_requests_total', { method: 'POST', route: '/u/:token', status: '200' })).toBe(1);
    expect(value(samples, 'optbox_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(value(samples, 'optbox_http_request_duration_seconds_count', { method: 'POST', route: '/u/:token' })).toBe(1);
    expect(value(samples, 'optbox_unsubscribes_total', { source: 'one-click' })).toBe(1);
    expect(value(samples, 'optbox_suppression_checks_total')).toBeGreaterThanOrEqual(2);
    expect(value(samples, 'optbox_suppression_hits_total')).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'optbox_webhook_outbox_depth')).toBe(1);
    expect(value(samples, 'optbox_webhook_deliveries', { state: 'pending' })).toBe(1);
    expect(value(samples, 'optbox_ledger_length')).toBe((await t.core.store.ops.ledgerLength()));

    // Counted incrementally: a second scrape after one more unsubscribe adds exactly one.
    const other = await t.linkFor('cy@example.com', 'updates');
    await t.app.request(other.path, form({ 'List-Unsubscribe': 'One-Click' }));
    const again = parsePrometheus(await (await t.app.request('/metrics')).text()).samples;
    expect(value(again, 'optbox_unsubscribes_total', { source: 'one-click' })).toBe(2);
  });

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789';
    const app = createApp({ ...t.deps, config: { ...t.config, metricsToken: token } });
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer wrong-token-wrong' } })).status).toBe(403);
    expect((await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});

describe('request ids and readiness', () => {
  it('every response carries X-Request-Id; a valid incoming one is kept, an unsafe one replaced', async () => {
    const fresh = await t.app.request('/healthz');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.app.request('/healthz', { headers: { 'x-request-id': 'lb-1234.abc' } })).headers.get('x-request-id')).toBe('lb-1234.abc');
    const unsafe = await t.app.request('/no/such', { headers: { 'x-request-id': 'a b<script>' } });
    expect(unsafe.status).toBe(404);
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.app.request('/healthz', { headers: { 'x-request-id': 'x'.repeat(65) } })).headers.get('x-request-id')).toHaveLength(36);
  });

  it('/readyz answers 200 when migrated and writable, 503 when the database is gone', async () => {
    const app = await makeTestApp({ file: true });
    const ok = await app.app.request('/readyz');
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ status: 'ready', checks: { migrations: true, writable: true } });
    app.core.store.close();
    const down = await app.app.request('/readyz');
    expect(down.status).toBe(503);
    expect(await json(down)).toMatchObject({ status: 'unavailable', checks: { writable: false } });
    app.close();
  });
});
