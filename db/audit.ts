/**
 * The audit log's hash chain. Each row's `hash` is sha256 over the canonical serialisation
 * (JSON with sorted keys, times as ms since epoch) of its content and the previous row's
 * hash; the first row links to GENESIS. `verifyAudit` walks the chain and names every row
 * that was changed and every place where rows were removed.
 */
import { createHash } from 'node:crypto';

/** An action, as the caller records it. */
export interface AuditEntry {
  /** who: a user name, or `system:<part>` */
  actor: string;
  /** what: login, acknowledge, shelve, inspection.record, site.change, standard.change, report.export, … */
  action: string;
  /** on what: an alert id, a site id, a report id, … */
  subject: string;
  site?: string;
  details?: Record<string, unknown>;
  /** when (ms since epoch); default now */
  at?: number;
}

/** A stored row of the chain. */
export interface AuditRecord {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  site: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(row: Omit<AuditRecord, 'seq' | 'hash'>): string {
  const { at, actor, action, subject, site, details, prevHash } = row;
  return createHash('sha256').update(canonicalJson({ at, actor, action, subject, site, details, prevHash })).digest('hex');
}

export interface AuditProblem {
  seq: number;
  /**
   * changed: the row's content no longer matches its hash; missing-before: rows before it were removed;
   * truncated: the chain ends before a head kept elsewhere; rechained: the row at that head's seq has another hash
   * (rows were changed and every hash after them computed again)
   */
  kind: 'changed' | 'missing-before' | 'truncated' | 'rechained';
  message: string;
}

/** The newest row's place in the chain, kept outside the database (`ketwin audit head`, signed). */
export interface AuditHead {
  seq: number;
  hash: string;
  at: number;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** hash of the last row: keep it elsewhere to detect removal of the newest rows too */
  head: string;
  problems: AuditProblem[];
}

/**
 * Walks the whole chain. A head kept elsewhere (`head`: seq and hash from `ketwin audit head`, or
 * the older `expectedHead`: a hash) also catches the newest rows removed and a chain whose hashes
 * were all computed again after a change.
 */
export async function verifyAudit(
  store: { auditRecords(afterSeq?: number, limit?: number): Promise<AuditRecord[]> },
  options: { expectedHead?: string; head?: AuditHead; pageSize?: number } = {},
): Promise<AuditVerification> {
  const { head } = options;
  let sawHead = head === undefined;
  const problems: AuditProblem[] = [];
  let prev = GENESIS;
  let rows = 0;
  let afterSeq = 0;
  let sawExpected = options.expectedHead === undefined;
  for (;;) {
    const page = await store.auditRecords(afterSeq, options.pageSize ?? 5000);
    if (page.length === 0) break;
    for (const r of page) {
      rows++;
      if (r.prevHash !== prev) {
        problems.push({
          seq: r.seq,
          kind: 'missing-before',
          message: `audit row ${r.seq} does not follow the row before it (seq ${afterSeq || 'start'}): rows between were deleted, or the previous row was changed`,
        });
      }
      if (auditHash(r) !== r.hash) {
        problems.push({ seq: r.seq, kind: 'changed', message: `audit row ${r.seq} (${r.action} by ${r.actor}) was changed after it was written` });
      }
      if (r.hash === options.expectedHead) sawExpected = true;
      if (head !== undefined && r.seq === head.seq) {
        sawHead = true;
        if (r.hash !== head.hash) {
          problems.push({
            seq: r.seq,
            kind: 'rechained',
            message: `audit row ${r.seq} has hash ${r.hash.slice(0, 16)}…, not the ${head.hash.slice(0, 16)}… of the kept head: rows up to it were changed and the chain computed again`,
          });
        }
      }
      prev = r.hash;
      afterSeq = r.seq;
    }
  }
  if (!sawHead) {
    const present = afterSeq >= head!.seq;
    problems.push(
      present
        ? { seq: head!.seq, kind: 'missing-before', message: `audit row ${head!.seq} of the kept head is gone: rows were deleted` }
        : { seq: afterSeq, kind: 'truncated', message: `the chain ends at row ${afterSeq || 'none'}, before row ${head!.seq} of the kept head: the newest rows were deleted` },
    );
  }
  if (!sawExpected) {
    problems.push({ seq: afterSeq, kind: 'missing-before', message: `the expected head ${options.expectedHead} is not in the chain: the newest rows were deleted` });
  }
  return { ok: problems.length === 0, rows, head: prev, problems };
}

/** The text a head's signature covers. */
export function auditHeadText(head: AuditHead): string {
  return canonicalJson({ format: 'ketwin-audit-head/1', seq: head.seq, hash: head.hash, at: head.at });
}
