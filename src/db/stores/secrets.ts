import { desc, eq, isNull } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import { settings, signingKeys } from '../schema/index.ts';
import type { RunInTransaction } from '../write-queue.ts';

export interface StoredKey {
  kid: string;
  secret: Buffer;
  createdAt: number;
}

/** What deleting a signing key did: the newest one (the one that signs) is never deleted. */
export type SigningKeyRemoval = 'deleted' | 'newest' | 'unknown';

/**
 * Installation secrets. Read at start; written at start and by key rotation. The writes at start
 * are the one exception to "every write goes through the write queue": they run while the
 * runtime is being built, before anything else can use the connection (the keys must exist
 * before anything signs a link). Each is a single autocommitted statement, durable on return
 * like any other commit. Rotating and retiring a key later (the console, the CLI) are units of
 * the write queue like every other change.
 */
export function createSecretStore(orm: Orm, transact: RunInTransaction) {
  const active = () => orm.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid)).all();
  const setting = (key: string) => orm.select().from(settings).where(eq(settings.key, key)).get()?.value;
  return {
    /** The keys that verify links, newest first (the newest signs, unless OPTBOX_SECRET is set). */
    async signingKeys(): Promise<StoredKey[]> {
      return active();
    },
    async addSigningKey(key: StoredKey): Promise<void> {
      await transact(() => orm.insert(signingKeys).values(key).run());
    },
    /**
     * Delete a key for good (a leaked one): every link signed with it stops verifying. With
     * `keepNewest` the newest key, the one that signs, is refused, judged in the same unit as
     * the delete.
     */
    async deleteSigningKey(kid: string, options: { keepNewest: boolean }): Promise<SigningKeyRemoval> {
      return transact(() => {
        if (!orm.select({ kid: signingKeys.kid }).from(signingKeys).where(eq(signingKeys.kid, kid)).get()) return 'unknown';
        const newest = active()[0]?.kid;
        if (options.keepNewest && newest === kid) return 'newest';
        orm.delete(signingKeys).where(eq(signingKeys.kid, kid)).run();
        return 'deleted';
      });
    },
    /**
     * Call `listener` when another process changed the keys. SQLite has one server process: the
     * CLI's rotation reaches it at its next start (as documented), so there is nothing to watch.
     */
    watchSigningKeys(_listener: () => Promise<void>): void {},
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
