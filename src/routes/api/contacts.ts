import { Hono } from 'hono';
import type { z } from 'zod';
import { actorOf, scope } from '../../auth/api-key.ts';
import { findContact, listContacts, topicStatuses, updateContact, upsertContact } from '../../core/contacts.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { eraseContact } from '../../core/erasure.ts';
import { OptboxError } from '../../core/errors.ts';
import type { ContactRow } from '../../db/store.ts';
import { iso, isoOrNull } from '../../format/time.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { readJson, readParams, readQuery } from '../validate.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { RouteDoc } from './doc.ts';
import { Contact, ContactIdParams, ContactPage, EraseResponse, ListContactsQuery, UpdateContactRequest, UpsertContactRequest, UpsertContactResponse } from './schemas.ts';
import { requestEvidence } from '../client-ip.ts';


async function contactView(core: CoreDeps, row: ContactRow): Promise<z.input<typeof Contact>> {
  const topics = row.status === 'erased' ? [] : await topicStatuses(core, row.id);
  return {
    id: row.id,
    email: row.email,
    externalId: row.externalId,
    locale: row.locale,
    status: row.status,
    topics: Object.fromEntries(topics.map((t) => [t.topic.id, t.status])),
    pausedUntil: isoOrNull(row.pausedUntil),
    noProfiling: row.noProfiling,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

type Position = [createdAt: number, id: string];
const isPosition = (p: unknown): p is Position => Array.isArray(p) && Number.isSafeInteger(p[0]) && typeof p[1] === 'string';

/** /contacts: register with consent proof, look up, list, change topics and flags, erase. */
export function createContactRoutes(deps: AppDeps) {
  const { core } = deps;
  return new Hono<AppEnv>()
    .post('/contacts', scope('contacts:write'), async (c) => {
      const input = await readJson(c, UpsertContactRequest);
      const result = await upsertContact(core, { ...input, source: 'api', actor: actorOf(c), request: requestEvidence(c) });
      const body: z.input<typeof UpsertContactResponse> = { contact: await contactView(core, result.contact), created: result.created, subscribed: result.subscribed };
      return c.json(body, result.created ? 201 : 200);
    })
    .get('/contacts', scope('contacts:read'), async (c) => {
      const q = readQuery(c, ListContactsQuery);
      if (q.email !== undefined || q.externalId !== undefined) {
        // Both given: the contact must match both.
        const found = await findContact(core, q.email !== undefined ? { email: q.email } : { externalId: q.externalId }).catch((err: unknown) => {
          if (err instanceof OptboxError && err.code === 'not_found') return undefined;
          throw err;
        });
        const match = found && (q.externalId === undefined || found.externalId === q.externalId) ? [found] : [];
        return c.json({ data: await Promise.all(match.map((r) => contactView(core, r))), nextCursor: null, hasMore: false } satisfies z.input<typeof ContactPage>);
      }
      const after = q.cursor === undefined ? undefined : decodeCursor('c', q.cursor, isPosition);
      const page = await listContacts(core, { after: after && { createdAt: after[0], id: after[1] }, limit: q.limit });
      const last = page.contacts.at(-1);
      return c.json({
        data: await Promise.all(page.contacts.map((r) => contactView(core, r))),
        nextCursor: page.more && last ? encodeCursor('c', [last.createdAt, last.id]) : null,
        hasMore: page.more,
      } satisfies z.input<typeof ContactPage>);
    })
    .get('/contacts/:id', scope('contacts:read'), async (c) => {
      const { id } = readParams(c, ContactIdParams);
      return c.json(await contactView(core, await findContact(core, { id })));
    })
    .patch('/contacts/:id', scope('contacts:write'), async (c) => {
      const { id } = readParams(c, ContactIdParams);
      const input = await readJson(c, UpdateContactRequest);
      const row = await updateContact(core, { ...input, id, source: 'api', actor: actorOf(c), request: requestEvidence(c) });
      return c.json(await contactView(core, row));
    })
    .delete('/contacts/:id', scope('contacts:write'), async (c) => {
      const { id } = readParams(c, ContactIdParams);
      const { erased } = await eraseContact(core, { contactId: id, source: 'api', actor: actorOf(c), request: requestEvidence(c) });
      return c.json({ id, status: 'erased', erased } satisfies z.input<typeof EraseResponse>);
    });
}

const tag = 'Contacts';
export const contactDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/contacts',
    tag,
    scope: 'contacts:write',
    summary: 'Create or update a contact, with consent proof',
    description: 'Upsert by address. Subscribes the given topics, each a `subscribe` row in the consent ledger with source `api`, the key\'s name, the policy version and the (hashed) evidence. An existing suppression is never lifted by this.',
    body: UpsertContactRequest,
    responses: { 200: { description: 'Existing contact, updated.', schema: UpsertContactResponse }, 201: { description: 'Created.', schema: UpsertContactResponse }, 409: { description: '`externalId` belongs to another contact.' } },
  },
  {
    method: 'get',
    path: '/contacts',
    tag,
    scope: 'contacts:read',
    summary: 'List contacts, or find one by address or external id',
    query: ListContactsQuery,
    responses: { 200: { description: 'A page of contacts (creation order).', schema: ContactPage } },
  },
  {
    method: 'get',
    path: '/contacts/:id',
    tag,
    scope: 'contacts:read',
    summary: 'Get a contact',
    params: ContactIdParams,
    responses: { 200: { description: 'The contact.', schema: Contact }, 404: { description: 'No such contact.' } },
  },
  {
    method: 'patch',
    path: '/contacts/:id',
    tag,
    scope: 'contacts:write',
    summary: 'Change topics, language, external id, restriction or objection',
    description: 'Topic `false` is an unsubscribe (suppresses the topic); `true` subscribes but never lifts a suppression (use DELETE /suppressions for that, on the record). `pausedUntil` (GDPR art. 18) and `noProfiling` (art. 21) write `restrict` and `object` ledger rows.',
    params: ContactIdParams,
    body: UpdateContactRequest,
    responses: { 200: { description: 'The contact after the change.', schema: Contact }, 404: { description: 'No such contact.' }, 409: { description: 'Erased, or `externalId` taken.' } },
  },
  {
    method: 'delete',
    path: '/contacts/:id',
    tag,
    scope: 'contacts:write',
    summary: 'Erase a contact (GDPR art. 17)',
    description: 'Deletes the address, external id, subscriptions and flags, and keeps a global `erasure` suppression on the keyed hash of the address, so the person is never mailed again, also not after a later import. Emits `contact.erased`. Idempotent.',
    params: ContactIdParams,
    responses: { 200: { description: 'Erased.', schema: EraseResponse }, 404: { description: 'No such contact.' } },
  },
];
