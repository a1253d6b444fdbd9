import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { contract, type OpenApiDoc } from '../helpers/contract.ts';

/**
 * The document's examples are real requests: each operation's example is sent, in document
 * order with removals last (so a contact is made before it is read, changed and erased), and must get one of the
 * operation's documented 2xx answers. Every example in the document validates against the
 * schema beside it.
 */
let t: TestApp;
let doc: OpenApiDoc;
beforeAll(async () => {
  t = await makeTestApp();
  doc = await json(t.app.request('/api/openapi.json'));
});
afterAll(() => t.close());

const METHODS = ['get', 'post', 'patch', 'delete'] as const;

/** Every `example` in the document with the schema it illustrates and where it is. */
function examples(document: OpenApiDoc) {
  const found: Array<{ at: string[]; value: unknown }> = [];
  const walk = (node: unknown, at: string[]) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    // A media type or parameter example illustrates its `schema`; a schema's own example, the schema.
    if ('example' in record) found.push({ at: 'schema' in record ? [...at, 'schema'] : at, value: record.example });
    for (const [key, child] of Object.entries(record)) if (key !== 'example') walk(child, [...at, key]);
  };
  walk({ paths: document.paths, components: document.components, webhooks: document.webhooks }, []);
  return found;
}

describe('document examples', () => {
  it('every example validates against its schema', () => {
    const all = examples(doc);
    expect(all.length).toBeGreaterThan(15);
    const wrong = all.map(({ at, value }) => ({ at: at.join(' '), problems: contract().problemsAt(value, at) })).filter((e) => e.problems.length);
    expect(wrong).toEqual([]);
  });

  it('every operation with input has an example, and each one sent gets a documented 2xx', async () => {
    const ids: Record<string, string> = {};
    const sent: string[] = [];
    // In document order, removals last (a webhook endpoint's log is read before it is deleted).
    const operations = Object.entries(doc.paths).flatMap(([template, item]) => METHODS.filter((m) => item[m]).map((method) => ({ template, method, op: item[method]! })));
    for (const { template, method, op } of [...operations.filter((o) => o.method !== 'delete'), ...operations.filter((o) => o.method === 'delete')]) {
      {
        const params = op.parameters ?? [];
        const body = op.requestBody?.content['application/json']?.example;
        if (op.requestBody) expect(body, `${method} ${template} has a body example`).toBeDefined();
        let path = template;
        for (const p of params.filter((p) => p.in === 'path')) {
          expect(p.example, `${method} ${template} {${p.name}}`).toBeDefined();
          // An id made by an earlier example (contacts, webhooks) is the real one; others as published.
          const made = ids[template.split('/')[3]!];
          path = path.replace(`{${p.name}}`, encodeURIComponent(p.name === 'id' && made ? made : String(p.example)));
        }
        const query = new URLSearchParams(params.filter((p) => p.in === 'query' && p.example !== undefined).map((p): [string, string] => [p.name, String(p.example)]));
        const res = await t.api(path + (query.size ? `?${query}` : ''), { method: method.toUpperCase(), ...(body === undefined ? {} : { body }) });
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        expect(success, `${method} ${template}: ${await res.clone().text()}`).toContain(String(res.status));
        if (res.status === 201) {
          const created = await json(res);
          ids[template.split('/')[3]!] = created.id ?? created.contact?.id;
        }
        sent.push(`${method.toUpperCase()} ${template} ${res.status}`);
      }
    }
    // Every operation was sent (and a ?limit=2 query, typed as an integer, was accepted).
    expect(sent).toHaveLength(operations.length);
    expect(doc.paths['/api/v1/contacts']!.get!.parameters!.find((p) => p.name === 'limit')).toMatchObject({ example: 2, schema: { type: 'integer', minimum: 1, maximum: 500 } });
  });
});
