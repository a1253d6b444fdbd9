import createClient from 'openapi-fetch';
import type { paths } from './.generated/api.ts';

/**
 * What an integrator writes with a client generated from /api/openapi.json (openapi-typescript
 * types, openapi-fetch calls): the suite generates the types from the live document, compiles
 * this file with tsc (strict, no casts allowed) and runs it against a real server. Every value
 * read here is typed by the document alone.
 */
export async function runFlows(baseUrl: string, apiKey: string) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
  const fail = (step: string, error: unknown): never => {
    throw new Error(`${step}: ${JSON.stringify(error)}`);
  };

  // Upsert with proof of consent (an IPv6 address, a past consent time).
  const upserted = await client.POST('/api/v1/contacts', {
    body: { email: 'gen@example.com', locale: 'en', externalId: 'gen-1', topics: ['newsletter'], consent: { via: 'generated-client', at: '2026-05-01T09:30:00Z', ip: '2001:db8::1' } },
  });
  if (!upserted.data) return fail('upsert', upserted.error);
  const created: boolean = upserted.data.created;
  const contactId: string = upserted.data.contact.id;
  const topicStatus: 'subscribed' | 'unsubscribed' | 'pending' | undefined = upserted.data.contact.topics['newsletter'];
  await client.POST('/api/v1/contacts', { body: { email: 'gen2@example.com', topics: ['marketing'] } });

  // The contact list, page by page (limit typed as a number).
  const listed: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await client.GET('/api/v1/contacts', { params: { query: cursor === undefined ? { limit: 1 } : { limit: 1, cursor } } });
    if (!res.data) return fail('list', res.error);
    for (const contact of res.data.data) if (contact.email !== null) listed.push(contact.email);
    if (!res.data.hasMore || res.data.nextCursor === null) break;
    cursor = res.data.nextCursor;
  }

  // Sync: remember the cursor, add in bulk, and read only what changed since.
  const before = await client.GET('/api/v1/suppressions', { params: { query: { limit: 1000 } } });
  if (!before.data) return fail('sync', before.error);
  const added = await client.POST('/api/v1/suppressions', { body: { suppressions: [{ email: 'bounced@example.com', reason: 'bounce' }, { email: 'gen2@example.com', scope: 'marketing' }] } });
  if (!added.data) return fail('bulk add', added.error);
  const stored = before.data.nextCursor;
  const since = await client.GET('/api/v1/suppressions', { params: { query: stored === null ? { limit: 100 } : { cursor: stored, limit: 100 } } });
  if (!since.data) return fail('sync since', since.error);
  const changes = since.data.data.map((c) => ({ key: c.key, scope: c.scope, reason: c.reason, deleted: c.deleted }));

  // Check before a send.
  const checked = await client.POST('/api/v1/suppressions/check', { body: { emails: ['gen@example.com', 'bounced@example.com'], topic: 'newsletter' } });
  if (!checked.data) return fail('check', checked.error);
  const suppressed = checked.data.results.map((r) => ({ email: r.email, suppressed: r.suppressed, reason: r.reason }));

  // Prepare one mail: the answer is either the rendered mail or a refusal.
  const prepared = await client.POST('/api/v1/messages/prepare', { body: { to: 'gen@example.com', topic: 'newsletter', template: 'newsletter', subject: 'Hello', data: { firstName: 'Gen' } } });
  if (!prepared.data) return fail('prepare', prepared.error);
  const mail = prepared.data;
  let unsubscribeUrl: string | null = null;
  if (!('results' in mail) && mail.send) unsubscribeUrl = mail.unsubscribeUrl;

  // A webhook endpoint; its secret is in the answer only now.
  const hook = await client.POST('/api/v1/webhooks', { body: { url: 'https://crm.example.com/hooks/optbox', events: ['suppression.created', 'contact.erased'] } });
  if (!hook.data) return fail('webhook', hook.error);
  const secret: string = hook.data.secret;

  // An error answer is typed too: the one error shape, with the bad field named.
  const refused = await client.POST('/api/v1/contacts', { body: { email: 'not-an-address' } });
  const refusal = refused.error ? { status: refused.response.status, code: refused.error.error.code, fields: refused.error.error.fields?.map((f) => f.field) ?? [] } : null;

  return { created, contactId, topicStatus, listed, changes, suppressed, unsubscribeUrl, secret, refusal };
}
