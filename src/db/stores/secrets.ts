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
 * while the runtime is being built, synchronously (createCore is synchronous, and the keys must
 * exist before anything signs a link), when no unit of work can be open on the connection yet.
 * Each is a single autocommitted statement, durable on return like any other commit.
 */
export function createSecretStore(orm: Orm) {
  return {
    signingKeys(): StoredKey[] {
      return orm.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid)).all();
    },
    addSigningKey(key: StoredKey): void {
      orm.insert(signingKeys).values(key).run();
    },
    setting(key: string): string | undefined {
      return orm.select().from(settings).where(eq(settings.key, key)).get()?.value;
    },
    /** Set a setting only if it is not set yet; returns the value that is now stored. */
    settingOnce(key: string, value: string): string {
      orm.insert(settings).values({ key, value }).onConflictDoNothing().run();
      return this.setting(key)!;
    },
  };
}

export type SecretStore = ReturnType<typeof createSecretStore>;
