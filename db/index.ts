export { openStore, openStoreOnPglite, type OpenStoreOptions } from './open.ts';
export { StoreError, type Store, type StoreErrorCode } from './store.ts';
export type { TelemetryStore, SeriesPoint, PointReading, Chart, ChartBucket, ChartOptions } from './telemetry-store.ts';
export type { VerdictStore, SiteStateAsOf } from './verdict-store.ts';
export type { AlertStore, AlertTransition } from './alert-store.ts';
export type { OutboxStore, OutboxMessage } from './outbox-store.ts';
export type { AuditStore } from './audit-store.ts';
export type { EvidenceStore, RecordedEvidence } from './evidence-store.ts';
export type { DeadLetterStore } from './dead-letter-store.ts';
export type { SignInLimitStore } from './sign-in-limit-store.ts';
export type { RetentionStore, Hold } from './retention-store.ts';
export type { CommitmentStore, SafetyCommitment } from './commitment-store.ts';
export { createStoreWriter, type StoreWriter, type StoreWriterOptions, type StoreWriterStats } from './writer.ts';
export {
  verifyAudit,
  auditHeadText,
  canonicalJson,
  auditHash,
  GENESIS,
  type AuditHead,
  type AuditEntry,
  type AuditRecord,
  type AuditProblem,
  type AuditVerification,
} from './audit.ts';
export { runRetention, retentionStatements, DEFAULT_RETENTION, type RetentionPolicy, type RetentionTable } from './retention.ts';
export { failurePeriods, type FailurePeriod } from './failures.ts';
export type { TimescaleOptions } from './timescale.ts';
export { isRowFault, sqlState, type DeadLetter, type Lane } from './dead-letters.ts';
export {
  countAttempt,
  createMemorySignInLimiter,
  storeSignInLimiter,
  userLimitKey,
  type SignInLimiter,
  type SignInPolicy,
  type SignInDecision,
  type SignInCount,
} from './sign-in-limits.ts';
export { evidenceHash } from './evidence.ts';
