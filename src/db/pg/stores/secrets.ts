import { desc, eq, isNull } from 'drizzle-orm';
import type { Store } from '../../store.ts';
import type { SigningKeyRemoval, StoredKey } from '../../stores/secrets.ts';
import type { PgStoreDeps } from '../sync.ts';
import type { PgUnit } from '../unit.ts';
import { settings, signingKeys } from '../schema/index.ts';

/*
 * Instances that start together must end with one signing key, not one each: the first key is
 * written under this advisory lock (two-int key space, keyed by the table's oid), and whoever
 * gets it second finds the first one's key. Settings (the pepper) need no lock: ON CONFLICT DO
 * NOTHING keeps the first value, and the read after it sees that value.
 */
const FIRST_KEY_LOCK = `SELECT pg_advisory_xact_lock('signing_keys'::regclass::oid::int, 0)`;

/** How often a failed reload after another instance's change is tried again, and how many times. */
const RELOAD_RETRY = { ms: 1_000, times: 30 };

/**
 * Installation secrets on PostgreSQL: the same behaviour as src/db/stores/secrets.ts. Writes go
 * through the write queue like any other (the queue works from the moment the store is open).
 */
export function createPgSecretStore(deps: PgStoreDeps): Store['secrets'] {
  const { orm, transact, versions } = deps;
  const active = (db: PgStoreDeps['orm'] | PgUnit['orm']) =>
    db.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid));
  const setting = async (db: PgStoreDeps['orm'] | PgUnit['orm'], key: string) => (await db.select().from(settings).where(eq(settings.key, key)))[0]?.value;

  return {
    async signingKeys(): Promise<StoredKey[]> {
      return active(orm);
    },
    /** As on SQLite; every instance learns of it by the 'signing_keys' version. */
    async addSigningKey(key: StoredKey): Promise<void> {
      await transact(async (unit) => {
        await unit.orm.insert(signingKeys).values(key);
        unit.changed('signing_keys');
      });
    },
    /**
     * As on SQLite. The newest key is judged and the row deleted under the first-key lock, which
     * a rotation on another instance does not take: a rotation that commits in between makes
     * the key deleted here no longer the newest, which is allowed; the newest itself never goes.
     */
    deleteSigningKey(kid: string, options: { keepNewest: boolean }): Promise<SigningKeyRemoval> {
      return transact(async (unit) => {
        await unit.query(FIRST_KEY_LOCK);
        const [newest] = await active(unit.orm).limit(1);
        const exists = (await unit.query('SELECT 1 FROM signing_keys WHERE kid = $1', [kid])).length > 0;
        if (!exists) return 'unknown';
        if (options.keepNewest && newest?.kid === kid) return 'newest';
        await unit.query('DELETE FROM signing_keys WHERE kid = $1', [kid]);
        unit.changed('signing_keys');
        return 'deleted';
      });
    },
    /**
     * Call `listener` after any instance added or deleted a key (the 'signing_keys' version,
     * polled). A listener that fails (the database away for a moment) is called again a little
     * later, so an instance does not keep an old key ring until the next change.
     */
    watchSigningKeys(listener: () => Promise<void>): void {
      const attempt = (left: number) => {
        listener().catch(() => left > 0 && setTimeout(() => attempt(left - 1), RELOAD_RETRY.ms).unref());
      };
      versions.onChange((table) => table === 'signing_keys' && attempt(RELOAD_RETRY.times));
    },
    /** The active keys; when there are none yet, `first` becomes the one (on exactly one instance). */
    signingKeysOr(first: StoredKey): Promise<StoredKey[]> {
      return transact(async (unit) => {
        await unit.query(FIRST_KEY_LOCK);
        const keys = await active(unit.orm);
        if (keys.length > 0) return keys;
        await unit.orm.insert(signingKeys).values(first);
        return active(unit.orm);
      });
    },
    async setting(key: string): Promise<string | undefined> {
      return setting(orm, key);
    },
    /** Set a setting only if it is not set yet; returns the value that is now stored. */
    settingOnce(key: string, value: string): Promise<string> {
      return transact(async (unit) => {
        await unit.orm.insert(settings).values({ key, value }).onConflictDoNothing();
        return (await setting(unit.orm, key))!;
      });
    },
  };
}
