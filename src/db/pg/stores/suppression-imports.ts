import { desc, eq } from 'drizzle-orm';
import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import { suppressionImports } from '../schema/index.ts';
import type { SuppressionImportRow } from '../../schema/index.ts';
import type { ImportProgress } from '../../stores/suppression-imports.ts';

/** Import jobs' progress (src/core/suppression-import.ts writes it after every chunk), as on SQLite. */
export function createPgSuppressionImportStore(deps: PgStoreDeps): Store['imports'] {
  const { orm, transact } = deps;
  return {
    start(input: { id: string; operatorId: string | null; fileName: string; bytesTotal: number; at: number }): Promise<void> {
      const { at, ...row } = input;
      return transact(async (unit) => void (await unit.orm.insert(suppressionImports).values({ ...row, startedAt: at, status: 'running' })));
    },
    progress(id: string, p: ImportProgress): Promise<void> {
      return transact(async (unit) => void (await unit.orm.update(suppressionImports).set({ ...p, errors: JSON.stringify(p.errors) }).where(eq(suppressionImports.id, id))));
    },
    finish(id: string, input: { status: 'done' | 'failed'; message: string | null; at: number }): Promise<void> {
      return transact(async (unit) => void (await unit.orm.update(suppressionImports).set({ status: input.status, message: input.message, finishedAt: input.at }).where(eq(suppressionImports.id, id))));
    },
    async byId(id: string): Promise<SuppressionImportRow | undefined> {
      const [row] = await orm.select().from(suppressionImports).where(eq(suppressionImports.id, id));
      return row;
    },
    async recent(limit: number): Promise<SuppressionImportRow[]> {
      return orm.select().from(suppressionImports).orderBy(desc(suppressionImports.startedAt)).limit(limit);
    },
  };
}
