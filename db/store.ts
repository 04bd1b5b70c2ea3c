import type { AlertStore } from './alert-store.ts';
import type { CommitmentStore } from './commitment-store.ts';
import type { AuditStore } from './audit-store.ts';
import type { DeadLetterStore } from './dead-letter-store.ts';
import type { EvidenceStore } from './evidence-store.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { RetentionStore } from './retention-store.ts';
import type { SignInLimitStore } from './sign-in-limit-store.ts';
import type { TelemetryStore } from './telemetry-store.ts';
import type { VerdictStore } from './verdict-store.ts';

/**
 * An open store: every port over one database, and its lifetime. Only its owner (main.ts, a test,
 * a bench) holds it; every other part takes the port or ports it uses. Every backend (PGlite,
 * PostgreSQL, TimescaleDB) passes db/store.contract.ts.
 */
export interface Store
  extends TelemetryStore, VerdictStore, AlertStore, OutboxStore, AuditStore, EvidenceStore, DeadLetterStore, SignInLimitStore, RetentionStore, CommitmentStore {
  readonly backend: 'pglite' | 'postgres';
  /** true when the TimescaleDB layer (hypertables, compression, aggregates, jobs) is in place */
  readonly timescale: boolean;
  close(): Promise<void>;
}

export type StoreErrorCode = 'INVALID_OPTIONS' | 'CONNECT_FAILED' | 'MIGRATION_FAILED' | 'CLOSED' | 'DRAIN_TIMEOUT';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}
