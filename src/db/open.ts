import { openDatabase } from './client.ts';
import { openPgStore } from './pg/store.ts';
import { createStore, type Store } from './store.ts';

/** Where the data lives: PostgreSQL when a URL is given, else the embedded SQLite file (or ':memory:'). */
export interface StoreLocation {
  databasePath: string;
  databaseUrl?: string | undefined;
  databasePoolSize?: number | undefined;
}

/** Open and migrate the database, and wrap it. Nothing above src/db knows which engine runs. */
export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.databaseUrl) return openPgStore(location.databaseUrl, { poolSize: location.databasePoolSize ?? 10 });
  return createStore(openDatabase(location.databasePath));
}
