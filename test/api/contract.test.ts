import { describe, expect, it } from 'vitest';
import { contract } from '../helpers/contract.ts';

/** The hook makeTestApp runs on every API response: it must refuse what the document does not describe. */
const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const erased = { id: 'c1', status: 'erased', erased: true };

describe('response contract check', () => {
  it('passes a response the document describes', async () => {
    await expect(contract().check('DELETE', 'https://optbox.test/api/v1/contacts/c1', jsonResponse(200, erased))).resolves.toBeUndefined();
  });

  it('refuses a body that does not match the schema', async () => {
    await expect(contract().check('DELETE', '/api/v1/contacts/c1', jsonResponse(200, { id: 'c1', status: 'gone' }))).rejects.toThrow(/erased/);
  });

  it('refuses a status the operation does not document', async () => {
    await expect(contract().check('POST', '/api/v1/suppressions/check', jsonResponse(404, { error: { code: 'not_found', message: 'x' } }))).rejects.toThrow(/does not document status 404/);
    await expect(contract().check('GET', '/api/v1/contacts', jsonResponse(500, { error: { code: 'internal', message: 'x' } }))).rejects.toThrow(/500/);
  });

  it('refuses an undocumented content type', async () => {
    const res = new Response('a,b', { status: 200, headers: { 'content-type': 'text/plain' } });
    await expect(contract().check('GET', '/api/v1/suppressions/export', res)).rejects.toThrow(/text\/plain/);
  });

  it('refuses a 401 without its WWW-Authenticate challenge, and a 405 without Allow', async () => {
    const denied = { error: { code: 'unauthorized', message: 'no' } };
    await expect(contract().check('GET', '/api/v1/contacts', jsonResponse(401, denied))).rejects.toThrow(/WWW-Authenticate/);
    await expect(contract().check('GET', '/api/v1/contacts', jsonResponse(401, denied, { 'www-authenticate': 'Bearer realm="optbox"' }))).resolves.toBeUndefined();
    const wrong = { error: { code: 'method_not_allowed', message: 'no' } };
    await expect(contract().check('PUT', '/api/v1/contacts', jsonResponse(405, wrong))).rejects.toThrow(/Allow/);
    await expect(contract().check('PUT', '/api/v1/contacts', jsonResponse(405, wrong, { allow: 'GET, HEAD, POST' }))).resolves.toBeUndefined();
  });

  it('refuses an error in another shape', async () => {
    await expect(contract().check('GET', '/api/v1/contacts/c1', jsonResponse(404, { message: 'not found' }))).rejects.toThrow(/error/);
  });

  it('checks webhook payloads against the webhooks section', () => {
    const data = { key: 'k', email: null, scope: '*', reason: 'erasure', source: 'api', createdAt: '2026-11-28T09:00:00.000Z', expiresAt: null };
    expect(contract().checkWebhook('suppression.created', { type: 'suppression.created', timestamp: '2026-11-28T09:00:00.000Z', data })).toEqual([]);
    const { key: _, ...withoutKey } = data;
    expect(contract().checkWebhook('suppression.created', { type: 'suppression.created', timestamp: '2026-11-28T09:00:00.000Z', data: withoutKey })).not.toEqual([]);
  });
});
