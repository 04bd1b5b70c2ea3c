/**
 * The storage contract, part two: history, audit, outbox, evidence, retention and (on the
 * TimescaleDB target) the TimescaleDB layer. Run by db/store.test.ts against every backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, ClauseResult, Sample, SiteScore } from '../model/index.ts';
import { verifyAudit } from './audit.ts';
import { failurePeriods } from './failures.ts';
import { runRetention } from './retention.ts';
import type { OutboxMessage } from './outbox-store.ts';
import type { Store } from './store.ts';
import type { StoreTarget } from './store-targets.ts';

const T0 = Date.UTC(2025, 2, 3, 8, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function result(site: string, clause: string, subject: string, verdict: ClauseResult['verdict'], since: number, standard = 'demo@1.0.0'): ClauseResult {
  return { site, clause, subject, verdict, since, evidence: [{ point: `${subject}.level`, value: since % 97, quality: 'good', ts: since }], thresholds: { hh: 17 }, standard };
}
function score(site: string, ts: number, value: number): SiteScore {
  return { site, ts, score: value, grade: 'B', risk: 'yellow', riskReason: { zh: '合规得分', en: 'compliance score' }, complianceRisk: 'yellow', counts: { pass: 1, fail: 0, unknown: 0, 'not-applicable': 0 }, coverage: 1, standard: 'demo@1.0.0' };
}
function alert(site: string, id: string, state: Alert['state'], changedAt: number): Alert {
  return { id, site, kind: 'tank-overfill', severity: 2, state, raisedAt: T0, changedAt, subjects: ['T101'], message: { zh: '高高', en: 'HH' }, actions: [] };
}

export function storeHistoryContract(makeTarget: () => Promise<StoreTarget>): void {
  let target: StoreTarget;
  let store: Store;
  beforeAll(async () => {
    target = await makeTarget();
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
    await target?.dispose();
  });

  describe('history', () => {
    it('charts raw for hours, 1-minute buckets for days, 1-hour buckets for months', async () => {
      const rows: Sample[] = [];
      for (let i = 0; i < 3 * 24 * 60; i++) rows.push({ site: 'chart', point: 'T1.level', ts: T0 + i * MIN + 1000, value: i % 60, quality: 'good' });
      rows.push({ site: 'chart', point: 'T1.level', ts: T0 + 5 * MIN + 2000, value: true, quality: 'good' });
      await store.writeSamples(rows);
      const raw = await store.chart('chart', 'T1.level', T0, T0 + HOUR);
      expect(raw.resolution).toBe('raw');
      if (raw.resolution === 'raw') expect(raw.points).toHaveLength(61);
      const minute = await store.chart('chart', 'T1.level', T0, T0 + 2 * DAY);
      expect(minute.resolution).toBe('1m');
      if (minute.resolution !== 'raw') {
        expect(minute.buckets).toHaveLength(2 * 24 * 60 + 1); // whole buckets starting in [from, to]
        expect(minute.buckets[5]).toEqual({ ts: T0 + 5 * MIN, avg: 5, min: 5, max: 5, n: 2 });
      }
      const hour = await store.chart('chart', 'T1.level', T0, T0 + 30 * DAY);
      expect(hour.resolution).toBe('1h');
      if (hour.resolution !== 'raw') {
        expect(hour.buckets).toHaveLength(72);
        expect(hour.buckets.reduce((n, b) => n + b.n, 0)).toBe(rows.length);
        expect(hour.buckets[0]).toEqual({ ts: T0, avg: 29.5, min: 0, max: 59, n: 61 });
      }
      expect(await store.chart('chart', 'nowhere', T0, T0 + 30 * DAY)).toEqual({ resolution: '1h', buckets: [] });
    });

    it('answers the state as of any instant exactly as it was emitted then', async () => {
      // a replayed scenario: what the engine emitted, in order
      const emitted: { at: number; results: ClauseResult[]; score: SiteScore }[] = [];
      const current = new Map<string, ClauseResult>();
      for (let k = 0; k < 40; k++) {
        const at = T0 + k * 17 * MIN;
        const changes = [result('asof', k % 3 === 0 ? 'LEVEL' : 'GAS', `S${k % 4}`, k % 2 === 0 ? 'fail' : 'pass', at, k < 20 ? 'demo@1.0.0' : 'demo@1.1.0')];
        for (const c of changes) current.set(`${c.clause}/${c.subject}`, c);
        const s = score('asof', at, 100 - k);
        await store.writeResults(changes);
        await store.writeScores([s]);
        emitted.push({ at, results: [...current.values()], score: s });
      }
      const key = (r: ClauseResult): string => `${r.clause}/${r.subject}`;
      for (const k of [0, 7, 19, 20, 39]) {
        const then = emitted[k]!;
        for (const at of [then.at, then.at + 16 * MIN]) {
          const state = await store.stateAsOf('asof', at);
          expect(state.results.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(then.results.sort((a, b) => key(a).localeCompare(key(b))));
          expect(state.score).toEqual(then.score);
          expect(state.standards).toEqual([...new Set(then.results.map((r) => r.standard))].sort());
        }
      }
      expect(await store.stateAsOf('asof', T0 - 1)).toEqual({ site: 'asof', at: T0 - 1, results: [], score: undefined, standards: [] });
    });

    it('gives how long a clause failed, with the evidence of each failure', async () => {
      const h = [result('fl', 'C', 'S', 'pass', T0), result('fl', 'C', 'S', 'fail', T0 + MIN), result('fl', 'C', 'S', 'unknown', T0 + 3 * MIN), result('fl', 'C', 'S', 'fail', T0 + 10 * MIN)];
      await store.writeResults(h);
      const periods = failurePeriods(await store.clauseHistory('fl', 'C', 'S'), T0 + 15 * MIN);
      expect(periods).toEqual([
        { from: T0 + MIN, to: T0 + 3 * MIN, durationMs: 2 * MIN, evidence: h[1]!.evidence, standard: 'demo@1.0.0' },
        { from: T0 + 10 * MIN, durationMs: 5 * MIN, evidence: h[3]!.evidence, standard: 'demo@1.0.0' },
      ]);
    });
  });

  describe('audit log', () => {
    it('chains every entry, never forks under concurrent appends, and verifies', async () => {
      const first = await store.appendAudit({ actor: 'alice', action: 'login', subject: 'alice', at: T0 });
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.appendAudit({ actor: 'system:engine', action: 'acknowledge', subject: `a${i}`, site: 'zs', details: { note: '已确认', n: i, nested: { b: 1, a: [1, 2] } } })));
      const records = await store.auditRecords(first.seq - 1, 100);
      expect(records).toHaveLength(21);
      for (let i = 1; i < records.length; i++) expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
      const v = await verifyAudit(store);
      expect(v).toMatchObject({ ok: true, problems: [], head: records.at(-1)!.hash });
    });

    it('refuses UPDATE and DELETE; verify names a row changed or deleted behind the trigger', async (ctx) => {
      if (target.admin === undefined) {
        ctx.annotate?.(`${target.name}: the store owns the only connection; the trigger is the same migration as on the other targets`);
        return;
      }
      const base = (await store.auditRecords(0, 10_000)).length;
      const rows = [];
      for (let i = 0; i < 5; i++) rows.push(await store.appendAudit({ actor: 'bob', action: 'shelve', subject: `x${i}` }));
      await expect(target.admin(`UPDATE audit_log SET actor = 'mallory' WHERE seq = ${rows[1]!.seq}`)).rejects.toThrow(/append-only/);
      await expect(target.admin(`DELETE FROM audit_log WHERE seq = ${rows[2]!.seq}`)).rejects.toThrow(/append-only/);
      await expect(target.admin('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      expect((await verifyAudit(store)).ok).toBe(true);
      const head = (await verifyAudit(store)).head;
      // a superuser disables the trigger and tampers
      await target.admin('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await target.admin(`UPDATE audit_log SET details = '{"note":"edited"}' WHERE seq = ${rows[1]!.seq}`);
      await target.admin(`DELETE FROM audit_log WHERE seq = ${rows[3]!.seq}`);
      await target.admin(`DELETE FROM audit_log WHERE seq = ${rows[4]!.seq}`);
      await target.admin('ALTER TABLE audit_log ENABLE TRIGGER USER');
      const v = await verifyAudit(store, { expectedHead: head });
      expect(v.ok).toBe(false);
      expect(v.rows).toBe(base + 3);
      expect(v.problems.map((p) => [p.seq, p.kind])).toEqual([
        [rows[1]!.seq, 'changed'],
        [rows[2]!.seq, 'missing-before'],
      ]);
      expect(v.problems[0]!.message).toContain(`audit row ${rows[1]!.seq}`);
    });
  });

  describe('outbox', () => {
    it('records each alert transition once and delivers at least once', async () => {
      await store.writeAlerts([alert('ob', 'o1', 'active', T0)]);
      await store.writeAlerts([alert('ob', 'o1', 'active', T0), alert('ob', 'o1', 'acknowledged', T0 + 1)]);
      const mine = (list: OutboxMessage[]): OutboxMessage[] => list.filter((m) => (m.payload as Alert).site === 'ob');
      const claimed = mine(await store.claimOutbox(100, 300));
      expect(claimed.map((m) => [m.topic, (m.payload as Alert).state, m.attempts])).toEqual([['alert', 'active', 1], ['alert', 'acknowledged', 1]]);
      expect(mine(await store.claimOutbox(100))).toEqual([]); // leased to the first claimer
      await store.markDelivered([claimed[0]!.id]);
      // the undelivered one's lease runs out (a notifier that died): it is delivered again
      await new Promise((r) => setTimeout(r, 400));
      const again = mine(await store.claimOutbox(100));
      expect(again.map((m) => [m.id, m.attempts])).toEqual([[claimed[1]!.id, 2]]);
      await store.markDelivered(again.map((m) => m.id));
      await new Promise((r) => setTimeout(r, 400));
      expect(mine(await store.claimOutbox(100, 0))).toEqual([]);
    });
  });

  describe('evidence records', () => {
    it('keeps inspections and certificates in the site YAML shape', async () => {
      const drill = { site: 'ev', kind: 'drill', subject: 'ev', doneAt: T0, by: '张工', validUntil: T0 + 180 * DAY, reference: 'DR-2025-03.pdf', notes: '全员疏散演练' };
      const siren = { site: 'ev', kind: 'siren-test', subject: 'SIREN1', doneAt: T0 + DAY, by: 'li' };
      await store.writeEvidence([drill, siren]);
      await store.writeEvidence([{ ...siren, notes: 'audible at the gate' }]);
      // the latest version of each record (versions: db/store-guards.contract.ts)
      expect(await store.evidence('ev')).toEqual([
        expect.objectContaining({ ...siren, notes: 'audible at the gate', version: 2 }),
        expect.objectContaining({ ...drill, version: 1 }),
      ]);
      expect(await store.evidence('ev', { kind: 'drill' })).toEqual([expect.objectContaining(drill)]);
      expect(await store.evidence('ev', { asOf: T0 + 1 })).toEqual([expect.objectContaining(drill)]);
      expect(await store.evidence('ev', { subject: 'SIREN1', asOf: T0 })).toEqual([]);
    });
  });

  describe('retention', () => {
    it('purges per table, keeps what an open hold covers and the state in force', async () => {
      const now = T0 + 400 * DAY;
      const old = T0 + 10 * DAY;
      await store.writeSamples([0, 1, 2].map((i) => ({ site: 'ret', point: 'P', ts: old + i * DAY, value: i, quality: 'good' as const })));
      await store.writeSamples([{ site: 'ret-held', point: 'P', ts: old, value: 1, quality: 'good' }, { site: 'ret', point: 'P', ts: now - DAY, value: 9, quality: 'good' }]);
      await store.writeResults([result('ret', 'C', 'S', 'pass', old), result('ret', 'C', 'S', 'fail', old + DAY), result('ret', 'C', 'S', 'pass', old + 2 * DAY)]);
      const hold = await store.addHold({ site: 'ret-held', from: old - DAY, to: old + DAY, reason: 'audit 2025-Q1' });
      expect(await store.holds('ret-held')).toEqual([hold]);
      const counts = await runRetention(store, { samples: 365, clauseResults: 365 }, now);
      expect(counts.samples).toBeGreaterThanOrEqual(3);
      expect((await store.series('ret', 'P', 0, now)).map((p) => p.value)).toEqual([9]);
      expect(await store.series('ret-held', 'P', 0, now)).toHaveLength(1);
      expect((await store.clauseHistory('ret', 'C', 'S')).map((r) => r.since)).toEqual([old + 2 * DAY]);
      expect((await store.stateAsOf('ret', now)).results.map((r) => r.verdict)).toEqual(['pass']);
      await store.releaseHold(hold.id);
      expect(await store.holds('ret-held')).toEqual([]);
      await runRetention(store, { samples: 365 }, now);
      expect(await store.series('ret-held', 'P', 0, now)).toEqual([]);
    });
  });

  describe('TimescaleDB layer', () => {
    it('is in place exactly when the extension is', async () => {
      expect(store.timescale).toBe(target.name === 'timescaledb');
    });

    it('has hypertables, compression policies, continuous aggregates and retention jobs', async (ctx) => {
      if (!store.timescale || target.admin === undefined) {
        ctx.annotate?.(`${target.name}: no TimescaleDB; plain tables with a BRIN index on time and runRetention`);
        return;
      }
      const hypertables = await target.admin(`SELECT hypertable_name AS name, compression_enabled AS c FROM timescaledb_information.hypertables WHERE hypertable_schema = 'public' ORDER BY 1`);
      expect(hypertables.filter((h) => !String(h.name).startsWith('_'))).toEqual([
        { name: 'alert_transitions', c: true }, { name: 'clause_results', c: true }, { name: 'samples', c: true }, { name: 'site_scores', c: true },
      ]);
      const jobs = await target.admin(`SELECT proc_name AS proc, coalesce(hypertable_name, '') AS ht, config FROM timescaledb_information.jobs WHERE job_id >= 1000 ORDER BY job_id`);
      const compress = jobs.filter((j) => j.proc === 'policy_compression');
      expect(compress.map((j) => j.ht).sort()).toEqual(['alert_transitions', 'clause_results', 'samples', 'site_scores']);
      expect(compress.every((j) => (j.config as { compress_after: string }).compress_after === '7 days')).toBe(true);
      const caggs = await target.admin(`SELECT view_name AS v, materialized_only AS m FROM timescaledb_information.continuous_aggregates ORDER BY 1`);
      expect(caggs).toEqual([{ v: 'samples_1h', m: false }, { v: 'samples_1m', m: false }]);
      expect(jobs.filter((j) => j.proc === 'policy_refresh_continuous_aggregate')).toHaveLength(2);
      expect(jobs.filter((j) => j.proc === 'policy_retention')).toHaveLength(2);
      const own = jobs.find((j) => j.proc === 'ketwin_retention');
      expect((own?.config as { statements: string[] }).statements).toHaveLength(5);
    });

    it('runs its retention job and compresses old chunks, keeping held data', async (ctx) => {
      if (!store.timescale || target.admin === undefined) {
        ctx.annotate?.(`${target.name}: no TimescaleDB`);
        return;
      }
      const long = Date.now() - 500 * DAY;
      await store.writeSamples([{ site: 'tsr', point: 'P', ts: long, value: 1, quality: 'good' }, { site: 'tsr-held', point: 'P', ts: long, value: 2, quality: 'good' }]);
      await store.addHold({ site: 'tsr-held', from: long - DAY, to: long + DAY, reason: 'inquiry' });
      const [job] = await target.admin(`SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'ketwin_retention'`);
      await target.admin(`CALL run_job(${Number(job!.job_id)})`);
      expect(await store.series('tsr', 'P', 0, Date.now())).toEqual([]);
      expect(await store.series('tsr-held', 'P', 0, Date.now())).toHaveLength(1);
      // compression of a week-old chunk; the store still reads it, and still accepts a rewrite
      const week = Date.now() - 10 * DAY;
      await store.writeSamples([{ site: 'tsc', point: 'P', ts: week, value: 3, quality: 'good' }]);
      await target.admin(`SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('samples', older_than => INTERVAL '7 days') c`);
      const compressed = await target.admin(`SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'samples' AND is_compressed`);
      expect(Number(compressed[0]!.n)).toBeGreaterThan(0);
      await store.writeSamples([{ site: 'tsc', point: 'P', ts: week, value: 4, quality: 'good' }]);
      expect((await store.series('tsc', 'P', 0, Date.now())).map((p) => p.value)).toEqual([3]);
    });
  });
}
