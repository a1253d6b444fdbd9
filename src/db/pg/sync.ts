import type { PgOrm } from './client.ts';
import type { PgTransact, PgUnit } from './unit.ts';
import type { ChangeVersions } from './versions.ts';
import type { SuppressionInput, SuppressionReason } from '../stores/suppressions.ts';
import type { EmitInput } from '../stores/webhooks.ts';
import type { TopicChange, TopicChangeResult } from '../stores/consent.ts';

/** What every PostgreSQL store is built from. */
export interface PgStoreDeps {
  /** Reads, on the pool (outside any unit). */
  orm: PgOrm;
  /** Writes: every write is a unit of the write queue (unit.ts). */
  transact: PgTransact;
  versions: ChangeVersions;
}

/*
 * The in-unit primitives one store hands another, as on SQLite (the `*Sync` functions there):
 * each takes the unit it runs in and is not part of the Store. Ledger rows go through
 * `unit.appendLedger`.
 */
export interface PgSuppressionSync {
  add(unit: PgUnit, input: SuppressionInput, at: number): Promise<boolean>;
  lift(unit: PgUnit, addressKey: Buffer, scopes: string[], reasons: SuppressionReason[], at: number): Promise<number>;
  eraseAddress(unit: PgUnit, addressKey: Buffer, at: number, source: string): Promise<void>;
  moveAddress(unit: PgUnit, oldKey: Buffer, newKey: Buffer, newEmail: string, at: number): Promise<void>;
}

export interface PgWebhookSync {
  emit(unit: PgUnit, input: EmitInput): Promise<void>;
  scrub(unit: PgUnit, addressKey: Buffer, contactId: string): Promise<void>;
}

export interface PgConsentSync {
  setTopics(unit: PgUnit, change: TopicChange): Promise<TopicChangeResult>;
}
