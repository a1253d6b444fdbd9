import type { PgUnit } from '../unit.ts';

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * Run a write that another instance may beat to a unique value (an address, an external id) in
 * a savepoint: if it hits the unique index, only the write is undone and `lost` is returned, so
 * the unit answers as it would have had it seen the other row first (on SQLite, with one writer,
 * the check before the write always sees it). Any other error fails the unit as usual: an error
 * outside a savepoint would abort the whole batch's transaction.
 *
 * The index check waits for a concurrent writer of the same value to commit or roll back, so the
 * answer is never a guess.
 */
export async function unlessUnique<T>(unit: PgUnit, write: () => Promise<T>): Promise<T | typeof lost> {
  await unit.query('SAVEPOINT optbox_unique');
  try {
    const result = await write();
    await unit.query('RELEASE SAVEPOINT optbox_unique');
    return result;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await unit.query('ROLLBACK TO SAVEPOINT optbox_unique');
    await unit.query('RELEASE SAVEPOINT optbox_unique');
    return lost;
  }
}

// drizzle wraps the driver's error (DrizzleQueryError): its code is on the cause.
const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && ((error as { code?: unknown }).code === UNIQUE_VIOLATION || isUniqueViolation((error as { cause?: unknown }).cause));

export const lost: unique symbol = Symbol('lost to a unique index');
