/**
 * Issue 18, finding 1: one row the database refuses (here a NUL, which PostgreSQL text and jsonb
 * cannot hold) must not block the rows behind it in any lane. It goes to the dead letters after
 * maxRowFailures refusals, with the error; a metric and a log line say so.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Alert, ClauseResult, Sample, SiteScore } from '../model/index.ts';
import { createStoreWriter } from './writer.ts';
import type { Store } from './store.ts';
import { createPgliteTarget, createPostgresTarget, type StoreTarget } from './store-targets.ts';

const T0 = Date.UTC(2025, 5, 1);
const POISON = 'poison\u0000';
const sample = (i: number, value: Sample['value'] = i): Sample => ({ site: 'dl', point: 'T1.level', ts: T0 + i, value, quality: 'good' });
const result = (i: number, note = 'ok'): ClauseResult => ({
  site: 'dl',
  clause: `c${i}`,
  subject: 'T1',
  verdict: 'pass',
  since: T0 + i,
  evidence: [{ point: 'T1.level', value: note, quality: 'good', ts: T0 }],
  thresholds: {},
  standard: 'demo@1.0.0',
});
const score = (i: number, grade = 'A'): SiteScore =>
  ({
    site: 'dl',
    ts: T0 + i,
    score: 90,
    grade,
    risk: 'blue',
    counts: { pass: 1, fail: 0, unknown: 0, 'not-applicable': 0 },
    coverage: 1,
    standard: 'demo@1.0.0',
  }) as SiteScore;
const alert = (i: number, comment = 'checked'): Alert =>
  ({
    id: `dl-a${i}`,
    site: 'dl',
    kind: 'tank-overfill',
    severity: 2,
    state: 'acknowledged',
    raisedAt: T0,
    changedAt: T0 + i,
    subjects: ['T1'],
    message: { zh: '高高', en: 'HH' },
    actions: [],
    acknowledgement: { by: 'li', at: T0 + i, comment },
  }) as unknown as Alert;

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _e, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  return { lines, logger };
}

for (const [name, make] of [
  ['PGlite', createPgliteTarget],
  ['PostgreSQL', () => createPostgresTarget(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')],
] as const) {
  describe(`writer lanes on ${name}: a refused row never blocks the rows behind it`, () => {
    let target: StoreTarget;
    let store: Store;
    beforeAll(async () => {
      target = await make();
      store = await target.open();
    });
    afterAll(async () => {
      await store?.close();
      await target?.dispose();
    });

    it('every lane: good rows before and after the poison are written, the poison goes to the dead letters with its error', async () => {
      const { lines, logger } = capture();
      const writer = createStoreWriter(store, { flushMs: 5, retryMinMs: 5, retryMaxMs: 20, maxRowFailures: 3, logger });
      writer.samples([sample(1), sample(2, POISON), sample(3)]);
      for (const r of [result(1), result(2, POISON), result(3)]) writer.result(r);
      for (const s of [score(1), score(2, POISON), score(3)]) writer.score(s);
      for (const a of [alert(1), alert(2, POISON), alert(3)]) writer.alert(a);
      for (const subject of ['x1', POISON, 'x3']) writer.audit({ actor: 'li', action: 'acknowledge', subject, details: { comment: subject } });
      await writer.flush();

      expect((await store.series('dl', 'T1.level', T0, T0 + 10)).map((p) => p.value)).toEqual([1, 3]);
      expect((await store.latestResults('dl')).map((r) => r.clause).sort()).toEqual(['c1', 'c3']);
      expect((await store.latestScore('dl'))?.ts).toBe(T0 + 3);
      expect((await store.alertHistory('dl-a3')).length).toBe(1);
      expect((await store.alertHistory('dl-a2')).length).toBe(0);
      expect((await store.auditRecords(0, 1000)).filter((r) => r.actor === 'li').map((r) => r.subject)).toEqual(['x1', 'x3']);

      const letters = await store.deadLetters();
      expect(letters.map((l) => l.lane).sort()).toEqual(['alerts', 'audit', 'results', 'samples', 'scores']);
      for (const letter of letters) {
        expect(letter.attempts).toBe(3);
        expect(letter.code).toMatch(/^22/); // data exception: the row, not the connection
        expect(letter.payload).toContain('poison\\u0000'); // escaped, so storable
      }
      expect(writer.stats().deadLetters).toEqual({ samples: 1, results: 1, scores: 1, alerts: 1, audit: 1 });
      expect(
        lines
          .filter((l) => l['msg'] === 'row refused by the database: moved to the dead letters, the lane goes on')
          .map((l) => l['lane'])
          .sort(),
      ).toEqual(['alerts', 'audit', 'results', 'samples', 'scores']);
      await writer.close();
    });

    it('a big batch with one poison writes every other row (found by halving), in order', async () => {
      const writer = createStoreWriter(store, { flushMs: 5, retryMinMs: 5, retryMaxMs: 20, maxBatch: 1000 });
      const rows = Array.from({ length: 1000 }, (_, i) => ({ ...sample(100 + i), point: 'T2.level' }));
      rows[617] = { ...rows[617]!, value: POISON };
      writer.samples(rows);
      await writer.flush();
      const stored = await store.series('dl', 'T2.level', 0, T0 + 10_000);
      expect(stored).toHaveLength(999);
      expect(stored.map((p) => p.ts)).toEqual(rows.filter((_, i) => i !== 617).map((r) => r.ts));
      await writer.close();
    });
  });
}
