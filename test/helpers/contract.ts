import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../../src/routes/api/document.ts';

/**
 * The published contract as a test-side check: every response the API suite receives must be
 * one the document describes (status, content type, headers, body schema). Wired into
 * makeTestApp, so a handler that drifts from its document fails the test that saw it.
 */

// ajv-formats is CommonJS with a default export; under NodeNext its callable is `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

interface Media {
  schema?: object;
  example?: unknown;
}
interface ResponseObject {
  $ref?: string;
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, Media>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
  requestBody?: { content: Record<string, Media> };
  parameters?: Array<{ name: string; in: string; schema: object; example?: unknown }>;
}
export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
  components: { schemas: Record<string, object>; responses: Record<string, ResponseObject> };
}

const BASE = 'https://optbox.test/openapi.json';
const pointer = (...tokens: string[]) => BASE + '#/' + tokens.map((t) => encodeURIComponent(t.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/** Statuses the middleware in front of every route answers, also for a path no route has. */
const BEFORE_ROUTING: Record<number, string> = { 401: 'Unauthorized', 404: 'NotFound', 413: 'PayloadTooLarge', 429: 'RateLimited' };

export function createContract(doc: OpenApiDoc = openApiDocument({ publicUrl: 'https://optbox.test', version: '1' }) as unknown as OpenApiDoc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: BASE });
  const compiled = new Map<string, ValidateFunction>();
  /** A validator for the schema at this place in the document ($refs resolved by ajv). */
  const validatorAt = (...tokens: string[]): ValidateFunction => {
    const ref = pointer(...tokens);
    let v = compiled.get(ref);
    if (!v) compiled.set(ref, (v = ajv.compile({ $ref: ref })));
    return v;
  };
  const templates = Object.keys(doc.paths)
    .map((path) => ({ path, params: (path.match(/\{/g) ?? []).length, pattern: new RegExp('^' + path.replace(/\{\w+\}/g, '[^/]+') + '$') }))
    // A literal segment wins over a parameter: /suppressions/export before /suppressions/{email}.
    .sort((a, b) => a.params - b.params);

  /** Validate a value against a schema at a place in the document; the problems, or none. */
  function problemsAt(value: unknown, tokens: string[]): string[] {
    const validate = validatorAt(...tokens);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
  }

  /** The documented response for this request and status, with where it sits in the document. */
  function documented(method: string, path: string, status: number): { response: ResponseObject; at: string[] } | string {
    const template = templates.find((t) => t.pattern.test(path));
    const m = method === 'HEAD' ? 'get' : method.toLowerCase();
    const component = (name: string | undefined) => (name ? { response: doc.components.responses[name]!, at: ['components', 'responses', name] } : undefined);
    if (!template) return component(BEFORE_ROUTING[status]) ?? `${status} for a path the document does not have`;
    const operation = doc.paths[template.path]![m];
    if (!operation) return component(status === 405 ? 'MethodNotAllowed' : BEFORE_ROUTING[status]) ?? `${status} for ${method} ${template.path}, which the document does not have`;
    let response = operation.responses[String(status)];
    let at = ['paths', template.path, m, 'responses', String(status)];
    if (!response) return `${method} ${template.path} does not document status ${status}`;
    if (response.$ref) {
      const name = response.$ref.split('/').pop()!;
      response = doc.components.responses[name]!;
      at = ['components', 'responses', name];
    }
    return { response, at };
  }

  /** Check one API response against the document; throws naming every difference. */
  async function check(method: string, url: string, res: Response): Promise<void> {
    const path = new URL(url, 'http://localhost').pathname;
    if (!path.startsWith('/api/v1/')) return;
    const where = `${method} ${path} → ${res.status}`;
    const found = documented(method, path, res.status);
    if (typeof found === 'string') throw new Error(`${where}: ${found}`);
    const { response, at } = found;
    const problems: string[] = [];
    for (const header of Object.keys(response.headers ?? {})) if (!res.headers.has(header)) problems.push(`header ${header} is documented but not sent`);
    const body = method === 'HEAD' ? '' : await res.clone().text();
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!response.content) {
      if (body !== '') problems.push('a body was sent where the document has none');
    } else if (!(type in response.content)) {
      problems.push(`content type "${type}" is not documented (documented: ${Object.keys(response.content).join(', ')})`);
    } else if (method !== 'HEAD' && type === 'application/json') {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        problems.push('the body is not JSON');
      }
      if (value !== undefined) problems.push(...problemsAt(value, [...at, 'content', type, 'schema']));
    }
    if (problems.length) throw new Error(`${where} does not match the published document:\n  ${problems.join('\n  ')}\n  body: ${body.slice(0, 500)}`);
  }

  /** A webhook payload as a receiver gets it, against the document's `webhooks` section. */
  function checkWebhook(type: string, payload: unknown): string[] {
    if (!doc.webhooks[type]) return [`no webhook "${type}" in the document`];
    return problemsAt(payload, ['webhooks', type, 'post', 'requestBody', 'content', 'application/json', 'schema']);
  }

  return { doc, check, checkWebhook, problemsAt };
}

export type Contract = ReturnType<typeof createContract>;

let shared: Contract | undefined;
/** One per test file (the document is the same for every app; compiling it is the slow part). */
export const contract = (): Contract => (shared ??= createContract());
