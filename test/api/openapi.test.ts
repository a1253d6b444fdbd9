import { Validator } from '@seriousme/openapi-schema-validator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await t.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every /api/v1 route the app serves, and nothing it does not', async () => {
    const doc = await json(t.app.request('/api/openapi.json'));
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const served = [
      ...new Set(
        t.app.routes
          .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL')
          .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
      ),
    ];
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => !served.includes(r))).toEqual([]);
  });

  it('names every operation, and lists the errors each can answer', async () => {
    const doc = await json(t.app.request('/api/openapi.json'));
    const operations = Object.values(doc.paths as Record<string, Record<string, { operationId: string; summary: string; requestBody?: unknown; responses: Record<string, unknown> }>>).flatMap((item) => Object.values(item));
    const ids = operations.map((o) => o.operationId);
    expect(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of operations) {
      expect(op.summary, op.operationId).toBeTruthy();
      expect(Object.keys(op.responses), op.operationId).toEqual(expect.arrayContaining(['401', '403', '413', '429', ...(op.requestBody ? ['400', '415'] : [])]));
    }
    expect(doc.components.responses.Unauthorized.headers['WWW-Authenticate']).toBeDefined();
    expect(doc.components.responses.MethodNotAllowed.headers.Allow).toBeDefined();
    expect(Object.keys(doc.paths['/api/v1/suppressions/export'].get.responses['200'].content)).toEqual(['text/csv', 'application/x-ndjson']);
    expect(Object.keys(doc.webhooks).sort()).toEqual(['contact.erased', 'subscription.updated', 'suppression.created', 'suppression.deleted']);
  });

  it('publishes the formats and bounds the server enforces', async () => {
    const { components: { schemas } } = await json(t.app.request('/api/openapi.json'));
    expect(schemas.UpsertContactRequest.properties.email).toMatchObject({ type: 'string', format: 'email', maxLength: 254 });
    expect(schemas.UpsertContactRequest.properties.topics.items).toMatchObject({ minLength: 1, maxLength: 64, pattern: expect.any(String) });
    expect(schemas.ConsentProof.properties.ip.anyOf.map((s: { format: string }) => s.format)).toEqual(['ipv4', 'ipv6']);
    expect(schemas.CreateWebhookRequest.properties.url).toMatchObject({ format: 'uri', maxLength: 2000 });
    expect(schemas.SuppressionEventData.required).toContain('key');
  });

  it('describes the request schemas the handlers validate with', async () => {
    const doc = await json(t.app.request('/api/openapi.json'));
    const add = doc.components.schemas.AddSuppressionsRequest;
    expect(add.properties.suppressions.maxItems).toBe(10_000);
    expect(doc.paths['/api/v1/suppressions'].post.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/api/v1/suppressions'].post.responses['429'].$ref).toBe('#/components/responses/RateLimited');
    expect(doc.components.responses.RateLimited.content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
  });
});

describe('docs page', () => {
  it('serves readable docs with Scalar from this server, under its own CSP', async () => {
    const res = await t.app.request('/api/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-url="/api/openapi.json"');
    expect(html).toContain('<script src="/api/docs/scalar.js">');
    expect(html).not.toMatch(/https?:\/\//); // no CDN
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    const js = await t.app.request('/api/docs/scalar.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it('the other pages keep the strict CSP', async () => {
    const res = await t.app.request('/healthz');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });
});
