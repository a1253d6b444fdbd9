import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

/**
 * A client generated from the live document, as an integrator would make one: openapi-typescript
 * writes the types, test/client/flows.ts drives the API with openapi-fetch, tsc compiles it
 * strictly, and the flows run against the app over real HTTP.
 */
const clientDir = fileURLToPath(new URL('../client/', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  const document = await json(t.app.request('/api/openapi.json'));
  mkdirSync(clientDir + '.generated', { recursive: true });
  writeFileSync(clientDir + '.generated/api.ts', astToString(await openapiTS(document)));
});
afterAll(() => t.close());

describe('a client generated from /api/openapi.json', () => {
  it('compiles with tsc (strict) and has no casts', () => {
    const source = readFileSync(clientDir + 'flows.ts', 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    // No way around the generated types: no `as`, no `<T>x`, no non-null `!`, no any.
    expect(source).not.toMatch(/\bas\s+(?!const\b)[\w{[]|<\w+>\s*\w|\w!\.|\bany\b/);
    const run = spawnSync(process.execPath, [tsc, '-p', clientDir + 'tsconfig.json'], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('drives upsert with consent, cursor list, bulk add, sync, check, prepare and webhook create over HTTP', async () => {
    const { origin } = await t.listen();
    const flows = await import(pathToFileURL(clientDir + 'flows.ts').href);
    const result = await flows.runFlows(origin, t.apiKey);
    expect(result).toMatchObject({ created: true, topicStatus: 'subscribed' });
    expect(result.listed.sort()).toEqual(['gen2@example.com', 'gen@example.com']); // two pages of one
    expect(result.changes).toEqual([
      { key: expect.any(String), scope: '*', reason: 'bounce', deleted: false },
      { key: expect.any(String), scope: 'marketing', reason: 'manual', deleted: false },
    ]);
    expect(result.suppressed).toEqual([
      { email: 'gen@example.com', suppressed: false, reason: null },
      { email: 'bounced@example.com', suppressed: true, reason: 'bounce' },
    ]);
    expect(result.unsubscribeUrl).toMatch(/^https:\/\/optbox\.test\/u\//);
    expect(result.secret).toMatch(/^whsec_/);
    expect(result.refusal).toEqual({ status: 400, code: 'invalid_input', fields: ['email'] });
  });
});
