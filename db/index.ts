export { openStore, openStoreOnPglite, type OpenStoreOptions } from './open.ts';
export {
  StoreError, type Store, type StoreErrorCode, type SeriesPoint, type Chart, type ChartBucket, type ChartOptions,
  type SiteStateAsOf, type EvidenceRecord, type Hold, type OutboxMessage,
} from './store.ts';
export { createStoreWriter, type StoreWriter, type StoreWriterOptions, type StoreWriterStats } from './writer.ts';
export { verifyAudit, auditHeadText, canonicalJson, auditHash, GENESIS, type AuditHead, type AuditEntry, type AuditRecord, type AuditProblem, type AuditVerification } from './audit.ts';
export { runRetention, retentionStatements, DEFAULT_RETENTION, type RetentionPolicy, type RetentionTable } from './retention.ts';
export { failurePeriods, type FailurePeriod } from './failures.ts';
export type { TimescaleOptions } from './timescale.ts';
export { isRowFault, sqlState, type DeadLetter, type Lane } from './dead-letters.ts';
export { countAttempt, createMemorySignInLimiter, storeSignInLimiter, userLimitKey, type SignInLimiter, type SignInPolicy, type SignInDecision, type SignInCount } from './sign-in-limits.ts';
export { evidenceHash } from './evidence.ts';
