import { desc, eq } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { suppressionImports, type SuppressionImportRow } from '../schema/index.ts';

export interface ImportProgress {
  bytesRead: number;
  rows: number;
  created: number;
  existing: number;
  failed: number;
  errors: Array<{ line: number; field: string; message: string }>;
}

/** Import jobs' progress (src/core/suppression-import.ts writes it after every chunk). */
export function createSuppressionImportStore(orm: Orm, transact: RunInTransaction) {
  return {
    start(input: { id: string; operatorId: string | null; fileName: string; bytesTotal: number; at: number }): Promise<void> {
      return transact(() => void orm.insert(suppressionImports).values({ ...input, startedAt: input.at, status: 'running' }).run());
    },
    progress(id: string, p: ImportProgress): Promise<void> {
      return transact(() => void orm.update(suppressionImports).set({ ...p, errors: JSON.stringify(p.errors) }).where(eq(suppressionImports.id, id)).run());
    },
    finish(id: string, input: { status: 'done' | 'failed'; message: string | null; at: number }): Promise<void> {
      return transact(() => void orm.update(suppressionImports).set({ status: input.status, message: input.message, finishedAt: input.at }).where(eq(suppressionImports.id, id)).run());
    },
    async byId(id: string): Promise<SuppressionImportRow | undefined> {
      return orm.select().from(suppressionImports).where(eq(suppressionImports.id, id)).get();
    },
    async recent(limit: number): Promise<SuppressionImportRow[]> {
      return orm.select().from(suppressionImports).orderBy(desc(suppressionImports.startedAt)).limit(limit).all();
    },
  };
}
