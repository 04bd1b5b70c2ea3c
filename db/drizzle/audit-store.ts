/** AuditStore over drizzle: appends under a table lock, so the chain never forks, whatever the process. */
import { and, asc, desc, gt, gte, inArray, sql } from 'drizzle-orm';
import { auditHash, GENESIS, type AuditEntry, type AuditRecord } from '../audit.ts';
import type { AuditStore } from '../audit-store.ts';
import type { Db } from '../db-handle.ts';
import * as schema from '../schema.ts';
import { sqlRows } from './sql-rows.ts';
import { systemClock } from '../../model/index.ts';

function toRecord(r: typeof schema.auditLog.$inferSelect): AuditRecord {
  return {
    seq: r.seq,
    at: r.at.getTime(),
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    site: r.site,
    details: r.details as Record<string, unknown>,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/** Inserts the entry as the row after `prevHash` (the caller holds the audit lock). */
async function appendAfter(tx: Db, entry: AuditEntry, prevHash: string): Promise<AuditRecord> {
  const a = schema.auditLog;
  const content = {
    at: Math.round(entry.at ?? systemClock.now()),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    site: entry.site ?? null,
    details: entry.details ?? {},
    prevHash,
  };
  const hash = auditHash(content);
  const [row] = await tx
    .insert(a)
    .values({ ...content, at: new Date(content.at), hash })
    .returning();
  return toRecord(row!);
}

export function createDrizzleAuditStore(db: Db): AuditStore {
  return {
    async appendAudit(entry) {
      return db.transaction(async (tx) => {
        // One writer at a time, in every process: the chain never forks.
        await tx.execute(sql`LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`);
        const a = schema.auditLog;
        const last = await tx.select({ hash: a.hash }).from(a).orderBy(desc(a.seq)).limit(1);
        return appendAfter(tx as unknown as Db, entry, last[0]?.hash ?? GENESIS);
      });
    },

    async appendAudits(entries) {
      if (entries.length === 0) return;
      await db.transaction(async (tx) => {
        await tx.execute(sql`LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`);
        const a = schema.auditLog;
        const last = await tx.select({ hash: a.hash }).from(a).orderBy(desc(a.seq)).limit(1);
        const ids = entries.map((e) => e.details?.['entryId']).filter((id): id is string => typeof id === 'string');
        const since = Math.min(...entries.map((e) => e.at ?? systemClock.now()));
        const present =
          ids.length === 0
            ? new Set<string>()
            : new Set(
                (
                  await sqlRows<{ id: string }>(
                    tx as unknown as Db,
                    sql`
          SELECT details->>'entryId' AS id FROM audit_log WHERE at >= ${new Date(since)} AND details->>'entryId' IN (${sql.join(
            ids.map((id) => sql`${id}`),
            sql`, `,
          )})`,
                  )
                ).map((r) => r.id),
              );
        let prev = last[0]?.hash ?? GENESIS;
        for (const entry of entries) {
          const id = entry.details?.['entryId'];
          if (typeof id === 'string' && present.has(id)) continue;
          prev = (await appendAfter(tx as unknown as Db, entry, prev)).hash;
        }
      });
    },

    async auditHead() {
      const a = schema.auditLog;
      const [row] = await db.select().from(a).orderBy(desc(a.seq)).limit(1);
      return row === undefined ? undefined : toRecord(row);
    },

    async auditRecords(afterSeq = 0, limit = 5000) {
      const a = schema.auditLog;
      return (await db.select().from(a).where(gt(a.seq, afterSeq)).orderBy(asc(a.seq)).limit(limit)).map(toRecord);
    },

    async auditOf(actions, since) {
      if (actions.length === 0) return [];
      const a = schema.auditLog;
      return (
        await db
          .select()
          .from(a)
          .where(and(inArray(a.action, [...actions]), gte(a.at, new Date(since))))
          .orderBy(asc(a.seq))
      ).map(toRecord);
    },
  };
}
