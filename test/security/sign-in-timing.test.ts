import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

/**
 * /preferences/login answers before anything is done for a known address: the store is not even
 * asked whether the address is known until the answer is out. Shown deterministically: the
 * lookup is held until released, and the answer must come while it is held.
 */
let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const login = (email: string) =>
  t.app.request('/preferences/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://optbox.test', 'accept-language': 'en' }, body: new URLSearchParams({ email }).toString() });

describe('sign-in timing', () => {
  it('answers while the lookup of the address is held; the mail goes out after', async () => {
    await t.linkFor('known@example.com', 'newsletter');
    const store = t.core.store.contacts;
    const original = store.byEmail.bind(store);
    const looked: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    store.byEmail = async (email: string) => {
      looked.push(email);
      await held;
      return original(email);
    };
    try {
      const sent = t.mails.length;
      const timeout = new Promise<'no answer'>((r) => setTimeout(() => r('no answer'), 3000));
      const known = await Promise.race([login('known@example.com'), timeout]);
      const unknown = await Promise.race([login('unknown@example.com'), timeout]);
      expect(known).not.toBe('no answer');
      expect(unknown).not.toBe('no answer');
      const [a, b] = [known as Response, unknown as Response];
      expect(a.status).toBe(200);
      expect(await a.text()).toBe(await b.text());
      expect(t.mails.length).toBe(sent); // nothing mailed yet: the lookup is still held
      release();
      await vi.waitFor(() => expect(t.mails.length).toBe(sent + 1), { timeout: 30_000 });
      expect(t.mails.at(-1)!.to).toBe('known@example.com');
      expect(looked).toEqual(['known@example.com', 'unknown@example.com']);
    } finally {
      release();
      store.byEmail = original;
    }
  });
});
