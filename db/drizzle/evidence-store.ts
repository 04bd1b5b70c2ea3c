/** EvidenceStore over drizzle: each upload the record's next version, unless its content is unchanged. */
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { Db } from '../db-handle.ts';
import { evidenceHash, evidenceRow, toEvidence } from '../evidence.ts';
import type { RecordedEvidence, EvidenceStore } from '../evidence-store.ts';
import * as schema from '../schema.ts';

const UNIQUE_VIOLATION = '23505';

/** The record as its next version, unless the latest version has the same content; retried when another writer took the number. */
async function appendEvidence(db: Db, record: RecordedEvidence): Promise<RecordedEvidence> {
  const e = schema.evidenceRecords;
  const hash = evidenceHash(record);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const [latest] = await tx
          .select()
          .from(e)
          .where(and(eq(e.site, record.site), eq(e.kind, record.kind), eq(e.subject, record.subject), eq(e.doneAt, new Date(record.doneAt))))
          .orderBy(desc(e.version))
          .limit(1);
        if (latest !== undefined && latest.hash === hash) return toEvidence(latest);
        const version = (latest?.version ?? 0) + 1;
        const [row] = await tx
          .insert(e)
          .values(evidenceRow(record, version, hash))
          .returning();
        return toEvidence(row!);
      });
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      if (code !== UNIQUE_VIOLATION || attempt >= 5) throw error;
    }
  }
}

export function createDrizzleEvidenceStore(db: Db): EvidenceStore {
  return {
    async writeEvidence(records) {
      const stored: RecordedEvidence[] = [];
      for (const record of records) stored.push(await appendEvidence(db, record));
      return stored;
    },

    async evidence(site, filter = {}) {
      const e = schema.evidenceRecords;
      const where = [eq(e.site, site)];
      if (filter.kind !== undefined) where.push(eq(e.kind, filter.kind));
      if (filter.subject !== undefined) where.push(eq(e.subject, filter.subject));
      if (filter.asOf !== undefined) where.push(lte(e.doneAt, new Date(filter.asOf)));
      const latest = await db
        .selectDistinctOn([e.kind, e.subject, e.doneAt])
        .from(e)
        .where(and(...where))
        .orderBy(asc(e.kind), asc(e.subject), asc(e.doneAt), desc(e.version));
      return latest.map(toEvidence).sort((x, y) => y.doneAt - x.doneAt || x.kind.localeCompare(y.kind) || x.subject.localeCompare(y.subject));
    },

    async evidenceVersions(site, kind, subject, doneAt) {
      const e = schema.evidenceRecords;
      const got = await db
        .select()
        .from(e)
        .where(and(eq(e.site, site), eq(e.kind, kind), eq(e.subject, subject), eq(e.doneAt, new Date(doneAt))))
        .orderBy(asc(e.version));
      return got.map(toEvidence);
    },
  };
}
