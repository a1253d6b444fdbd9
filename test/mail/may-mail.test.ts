import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/core/contacts.ts';
import { mayMail } from '../../src/core/may-mail.ts';
import { unsubscribe } from '../../src/core/subscriptions.ts';
import { suppress } from '../../src/core/suppressions.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { openRawDb } from '../helpers/raw-db.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ file: true });
});
afterEach(() => t.close());

const one = async (email: string, topic: string | undefined, transactional = false) => (await mayMail(t.core, { emails: [email], topic, transactional }))[0]!;
const add = (email: string, topics: string[] = []) => upsertContact(t.core, { email, topics, locale: 'en', source: 'api' });

/** A second connection to the test's database, for state no core verb sets yet. */
async function raw(sql: string, ...params: unknown[]) {
  const db = await openRawDb(t.config);
  try {
    await db.run(sql, ...params);
  } finally {
    await db.close();
  }
}

describe('topic mail', () => {
  it('goes to a subscribed contact, with who the links name and the language', async () => {
    const { contact } = await add('ann@example.com', ['newsletter']);
    expect(await one('Ann@Example.com', 'newsletter')).toEqual({ email: 'Ann@Example.com', send: true, recipient: { contactId: contact.id, locale: 'en' } });
  });

  it('refuses an opt-in topic without a subscription, and sends an opt-out topic by default', async () => {
    await add('bob@example.com');
    expect(await one('bob@example.com', 'newsletter')).toMatchObject({ send: false, reason: 'not-subscribed', scope: 'newsletter' });
    expect(await one('bob@example.com', 'updates')).toMatchObject({ send: true });
  });

  it('refuses after an unsubscribe, for that topic only', async () => {
    const { contact } = await add('cas@example.com', ['newsletter', 'marketing']);
    await unsubscribe(t.core, { contactId: contact.id, topic: 'newsletter', source: 'one-click' });
    expect(await one('cas@example.com', 'newsletter')).toMatchObject({ send: false, reason: 'unsubscribed', scope: 'newsletter' });
    expect(await one('cas@example.com', 'marketing')).toMatchObject({ send: true });
  });

  it('refuses an opt-out topic after unsubscribe-all', async () => {
    const { contact } = await add('dee@example.com');
    await unsubscribe(t.core, { contactId: contact.id, topic: '*', source: 'unsubscribe-page' });
    expect(await one('dee@example.com', 'updates')).toMatchObject({ send: false, reason: 'unsubscribed', scope: '*' });
  });

  it('refuses a pending double opt-in', async () => {
    await t.core.store.contacts.upsert({
      contact: { id: 'pending-1', email: 'eve@example.com', locale: 'nl', externalId: null },
      at: t.clock.now(),
      subscribe: ['newsletter'],
      subscribeStatus: 'pending',
      event: { source: 'preference-center', policyVersion: '2.0' },
    });
    expect(await one('eve@example.com', 'newsletter')).toMatchObject({ send: false, reason: 'unconfirmed', scope: 'newsletter' });
  });

  it('refuses while the contact paused all mail (GDPR art. 18), and sends once the pause is over', async () => {
    const { contact } = await add('fay@example.com', ['newsletter']);
    await raw('UPDATE contacts SET paused_until = ? WHERE id = ?', t.clock.now() + 86_400_000, contact.id);
    expect(await one('fay@example.com', 'newsletter')).toMatchObject({ send: false, reason: 'paused', scope: '*' });
    expect(await one('fay@example.com', undefined, true)).toMatchObject({ send: true }); // a sign-in link still goes
    t.clock.advance(86_400_001);
    expect(await one('fay@example.com', 'newsletter')).toMatchObject({ send: true });
  });

  it('refuses an address optbox does not know, and never creates it', async () => {
    expect(await one('new@example.com', 'updates')).toMatchObject({ send: false, reason: 'unknown-contact', scope: 'updates' });
    expect(await t.core.store.contacts.byEmail('new@example.com')).toBeUndefined();
  });

  it('a bounce, a complaint and a manual block refuse with their own reasons', async () => {
    for (const [email, reason] of [['b@example.com', 'bounce'], ['c@example.com', 'complaint'], ['m@example.com', 'manual']] as const) {
      await add(email, ['newsletter']);
      await suppress(t.core, { email, reason, source: 'admin' });
    }
    const results = await mayMail(t.core, { emails: ['b@example.com', 'c@example.com', 'm@example.com'], topic: 'newsletter' });
    expect(results.map((r) => !r.send && r.reason)).toEqual(['bounced', 'complained', 'suppressed']);
  });
});

describe('transactional mail', () => {
  it('skips topic checks and an unsubscribe-all, but never a bounce, complaint or erasure', async () => {
    const { contact } = await add('gus@example.com');
    await unsubscribe(t.core, { contactId: contact.id, topic: '*', source: 'unsubscribe-page' });
    expect(await one('gus@example.com', undefined, true)).toMatchObject({ send: true, recipient: { contactId: contact.id } });

    for (const [email, reason] of [['hb@example.com', 'bounce'], ['hc@example.com', 'complaint']] as const) {
      await add(email);
      await suppress(t.core, { email, reason, source: 'bounce-webhook' });
      expect(await one(email, undefined, true)).toMatchObject({ send: false, scope: '*' });
    }
  });

  it('goes to an unknown address without a recipient (no personal links)', async () => {
    expect(await one('guest@example.com', undefined, true)).toEqual({ email: 'guest@example.com', send: true, recipient: null });
  });

  it('refuses an erased person, by the hashed suppression that outlives the address', async () => {
    const { contact } = await add('ivy@example.com', ['newsletter']);
    await suppress(t.core, { email: 'ivy@example.com', reason: 'erasure', source: 'admin' });
    await raw("UPDATE contacts SET status = 'erased', email = NULL WHERE id = ?", contact.id);
    expect(await one('ivy@example.com', undefined, true)).toMatchObject({ send: false, reason: 'erased', scope: '*' });
    expect(await one('ivy@example.com', 'newsletter')).toMatchObject({ send: false, reason: 'erased' });
  });
});

describe('input', () => {
  it('answers a batch in the order asked, with addresses as given', async () => {
    await add('a1@example.com', ['newsletter']);
    const results = await mayMail(t.core, { emails: ['nobody@example.com', 'A1@example.com'], topic: 'newsletter' });
    expect(results.map((r) => [r.email, r.send])).toEqual([['nobody@example.com', false], ['A1@example.com', true]]);
  });

  it('names a bad address and an unknown or missing topic', async () => {
    await expect(mayMail(t.core, { emails: ['ok@example.com', 'nope'], topic: 'newsletter' })).rejects.toMatchObject({ code: 'invalid_input', fields: [{ field: 'emails[1]' }] });
    await expect(mayMail(t.core, { emails: ['ok@example.com'], topic: 'nope' })).rejects.toMatchObject({ fields: [{ field: 'topic' }] });
    await expect(mayMail(t.core, { emails: ['ok@example.com'] })).rejects.toMatchObject({ fields: [{ field: 'topic' }] });
    await expect(mayMail(t.core, { emails: ['ok@example.com'], topic: 'newsletter', transactional: true })).rejects.toMatchObject({ fields: [{ field: 'topic' }] });
  });
});
