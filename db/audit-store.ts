import type { AuditEntry, AuditRecord } from './audit.ts';

/** The append-only, hash-chained audit log (db/audit.ts hashes and verifies it). */
export interface AuditStore {
  /** Appends to the hash chain, serialised so that it never forks; returns the stored row. */
  appendAudit(entry: AuditEntry): Promise<AuditRecord>;
  /**
   * Appends in order in one transaction. An entry whose `details.entryId` is already in the chain
   * (a retry after a lost reply, a replayed spill file) is skipped.
   */
  appendAudits(entries: readonly AuditEntry[]): Promise<void>;
  /** The newest row of the chain, or undefined when it is empty. */
  auditHead(): Promise<AuditRecord | undefined>;
  /** Rows of the chain with seq > afterSeq, in order, at most `limit`. */
  auditRecords(afterSeq?: number, limit?: number): Promise<AuditRecord[]>;
  /** Rows of the given actions at or after `since` (ms since epoch), in chain order (what main takes back at a start: declared transfers). */
  auditOf(actions: readonly string[], since: number): Promise<AuditRecord[]>;
}
