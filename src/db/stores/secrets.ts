import { desc, eq, isNull } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import { settings, signingKeys } from '../schema/index.ts';

export interface StoredKey {
  kid: string;
  secret: Buffer;
  createdAt: number;
}

/**
 * Installation secrets. Used once at start and by key rotation, never on a request path.
 * Its writes are the one exception to "every write goes through the write queue": they run
 * while the runtime is being built, before anything else can use the connection (the keys must
 * exist before anything signs a link). Each is a single autocommitted statement, durable on
 * return like any other commit.
 */
export function createSecretStore(orm: Orm) {
  const active = () => orm.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid)).all();
  const setting = (key: string) => orm.select().from(settings).where(eq(settings.key, key)).get()?.value;
  return {
    async signingKeys(): Promise<StoredKey[]> {
      return active();
    },
    async addSigningKey(key: StoredKey): Promise<void> {
      orm.insert(signingKeys).values(key).run();
    },
    /** The active keys; when there are none yet, `first` becomes the one. */
    async signingKeysOr(first: StoredKey): Promise<StoredKey[]> {
      const keys = active();
      if (keys.length > 0) return keys;
      orm.insert(signingKeys).values(first).run();
      return active();
    },
    async setting(key: string): Promise<string | undefined> {
      return setting(key);
    },
    /** Set a setting only if it is not set yet; returns the value that is now stored. */
    async settingOnce(key: string, value: string): Promise<string> {
      orm.insert(settings).values({ key, value }).onConflictDoNothing().run();
      return setting(key)!;
    },
  };
}

export type SecretStore = ReturnType<typeof createSecretStore>;
