import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { testConfig } from '../../src/testing/index.ts';
import { SecretsError } from '../../src/core/secrets.ts';
import { createLogger } from '../../src/logger.ts';
import { openRuntime } from '../../src/runtime.ts';
import { freshDatabase, type TestDatabase } from '../helpers/engine.ts';

describe('config', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toMatchObject({ port: 3000, host: '127.0.0.1', publicUrl: 'http://localhost:3000', databasePath: './data/optbox.db', policyVersion: '2.0' });
    expect(loadConfig({ PORT: '8080', PUBLIC_URL: 'https://mail.example.com/' }).publicUrl).toBe('https://mail.example.com');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ OPTBOX_SECRET: 'short' }, 'OPTBOX_SECRET'],
    [{ OPTBOX_PEPPER: 'short' }, 'OPTBOX_PEPPER'],
    [{ DEFAULT_LOCALE: 'de' }, 'DEFAULT_LOCALE'],
  ])('names the bad variable in %j', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^invalid configuration:\\n  ${name}:`));
  });
});

describe('installation secrets', () => {
  let db: TestDatabase | undefined;
  afterEach(() => db?.drop());
  /** Open the runtime on this test's database, as a restart does. */
  const open = (extra: { pepper?: string; secret?: string } = {}) => openRuntime(testConfig({ ...db!.config, ...extra }), { logger: createLogger('silent') });

  it('generates a signing key once, so links stay valid across restarts', async () => {
    db = await freshDatabase({ file: true });
    const first = await open();
    const token = first.core.tokens.sign('unsub', { contactId: 'c1', topic: 'newsletter' });
    await first.close();
    const second = await open();
    expect(second.core.tokens.verify(token, 'unsub').contactId).toBe('c1');
    const third = await open();
    expect(second.core.addressKey('a@example.com')).toEqual(third.core.addressKey('a@example.com'));
    await third.close();
    await second.close();
  });

  it('keeps generated-key links valid when OPTBOX_SECRET is set later', async () => {
    db = await freshDatabase({ file: true });
    const first = await open();
    const token = first.core.tokens.sign('unsub', { contactId: 'c1', topic: 'newsletter' });
    await first.close();
    const second = await open({ secret: 'x'.repeat(40) });
    expect(second.core.tokens.verify(token, 'unsub').contactId).toBe('c1');
    await second.close();
  });

  it('refuses to start with a pepper other than the one the suppressions were keyed with', async () => {
    db = await freshDatabase({ file: true });
    await (await open({ pepper: 'p'.repeat(40) })).close();
    await expect(open({ pepper: 'q'.repeat(40) })).rejects.toThrow(SecretsError);
    await expect(open()).rejects.toThrow(/set it again/);
    await (await open({ pepper: 'p'.repeat(40) })).close();
  });
});
