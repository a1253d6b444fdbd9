import { customType } from 'drizzle-orm/pg-core';

/** Binary columns (keyed address hashes, secrets) as Node Buffers, like SQLite's blob columns. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});
