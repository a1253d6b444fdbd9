import type Database from 'better-sqlite3';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export type RunInTransaction = <T>(work: () => T) => Promise<T>;

const MAX_GROUP = 512;

/**
 * Group commit. Each unit of work runs synchronously in its own SAVEPOINT inside one shared
 * transaction, and the transaction commits (one fsync) once per turn of the event loop for all
 * units queued in that turn. A unit's promise settles only after that commit, so a caller that
 * answers 2xx after awaiting it has a durable write (an acknowledged one-click survives kill -9). One unit failing rolls
 * back only its savepoint; the others still commit.
 *
 * Nothing awaits inside a transaction, so no other request's statements can slip into it.
 */
export function createWriteQueue(sqlite: Database.Database): RunInTransaction {
  let queue: Pending[] = [];
  let scheduled = false;

  const runGroup = sqlite.transaction((group: Pending[]) => {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    for (const unit of group) {
      try {
        outcomes.push({ ok: true, value: sqlite.transaction(unit.work)() }); // nested → SAVEPOINT
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  });

  function flush() {
    const group = queue.splice(0, MAX_GROUP);
    scheduled = false;
    if (queue.length > 0) schedule();
    let outcomes;
    try {
      outcomes = runGroup(group);
    } catch (error) {
      for (const unit of group) unit.reject(error); // the commit itself failed: nothing is durable
      return;
    }
    outcomes.forEach((outcome, i) => {
      const unit = group[i]!;
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }

  function schedule() {
    scheduled = true;
    setImmediate(flush);
  }

  return <T>(work: () => T) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!scheduled) schedule();
    });
}
