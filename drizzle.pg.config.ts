import { defineConfig } from 'drizzle-kit';

// The PostgreSQL migrations (DATABASE_URL); drizzle.config.ts has the SQLite ones.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg/schema/index.ts',
  out: './migrations/pg',
});
