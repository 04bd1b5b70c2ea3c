/**
 * The storage contract, run by db/store.test.ts against every backend: one database per
 * backend, each port's contract against it in turn (each test works on its own site ids), and
 * what the store as a whole promises — migrations, close and reopen, the TimescaleDB layer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertStoreContract } from './alert-store.contract.ts';
import { auditStoreContract } from './audit-store.contract.ts';
import { commitmentStoreContract } from './commitment-store.contract.ts';
import { deadLetterStoreContract } from './dead-letter-store.contract.ts';
import { evidenceStoreContract } from './evidence-store.contract.ts';
import { outboxStoreContract } from './outbox-store.contract.ts';
import { retentionStoreContract } from './retention-store.contract.ts';
import { signInLimitStoreContract } from './sign-in-limit-store.contract.ts';
import type { Store } from './store.ts';
import { ALL, alert, DAY, result, sample, score, T0 } from './store-contract-rows.ts';
import type { StoreTarget } from './store-targets.ts';
import { storeWriterContract } from './store-writer.contract.ts';
import { telemetryStoreContract } from './telemetry-store.contract.ts';
import { verdictStoreContract } from './verdict-store.contract.ts';
import journal from './migrations/meta/_journal.json' with { type: 'json' };

const MIGRATIONS = journal.entries.length;

export function storeContract(makeTarget: () => Promise<StoreTarget>): void {
  let target: StoreTarget;
  let store: Store;
  // the contracts read the store when each test runs: a reopen gives them the new one
  const current = (): Store => store;
  const currentTarget = (): StoreTarget => target;

  beforeAll(async () => {
    target = await makeTarget();
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
    await target?.dispose();
  });

  describe('migrations', () => {
    it('apply on an empty database and are idempotent on reopen', async () => {
      await store.writeSamples([sample('mig', 1)]);
      await store.close();
      expect(await target.migrationsApplied()).toBe(MIGRATIONS);
      store = await target.open();
      await store.close();
      store = await target.open();
      expect(await store.series('mig', 'T101.level', ...ALL)).toHaveLength(1);
      await store.close();
      expect(await target.migrationsApplied()).toBe(MIGRATIONS);
      store = await target.open();
    });
  });

  describe('telemetry', () => telemetryStoreContract(current));
  describe('verdicts and scores', () => verdictStoreContract(current));
  describe('alerts', () => alertStoreContract(current));
  describe('outbox', () => outboxStoreContract(current));
  describe('evidence records', () => evidenceStoreContract(current, currentTarget));
  describe('audit log', () => auditStoreContract(current, currentTarget));
  describe('dead letters', () => deadLetterStoreContract(current));
  describe('sign-in counts', () => signInLimitStoreContract(current));
  describe('safety commitments', () => commitmentStoreContract(current));
  describe('writer', () => storeWriterContract(current, currentTarget));

  describe('close and reopen', () => {
    it('keeps everything across close and reopen', async () => {
      await store.writeSamples([sample('keep', 1)]);
      await store.writeResults([result('keep', 'C', 'S', 'pass', T0)]);
      await store.writeScores([score('keep', T0, 88)]);
      await store.writeAlerts([alert('keep', 'k1', 'active', T0)]);
      await store.close();
      store = await target.open();
      expect(await store.series('keep', 'T101.level', ...ALL)).toHaveLength(1);
      expect(await store.latestResults('keep')).toHaveLength(1);
      expect((await store.latestScore('keep'))?.score).toBe(88);
      expect((await store.openAlerts('keep')).map((a) => a.id)).toEqual(['k1']);
    });

    it('refuses every port once closed; closing twice is no error', async () => {
      const closed = store;
      await closed.close();
      try {
        await expect(closed.series('keep', 'T101.level', ...ALL)).rejects.toMatchObject({ code: 'CLOSED' });
        await expect(closed.writeAlerts([])).rejects.toMatchObject({ code: 'CLOSED' });
        await expect(closed.auditHead()).rejects.toMatchObject({ code: 'CLOSED' });
        await expect(closed.signInReset('user:nobody')).rejects.toMatchObject({ code: 'CLOSED' });
        await closed.close();
      } finally {
        store = await target.open();
      }
    });
  });

  // retention deletes old rows of every site, and the TimescaleDB job by the real clock: last
  describe('retention', () => retentionStoreContract(current));

  describe('TimescaleDB layer', () => {
    it('is in place exactly when the extension is', async () => {
      expect(store.timescale).toBe(target.name === 'timescaledb');
    });

    it('has hypertables, compression policies, continuous aggregates and retention jobs', async (ctx) => {
      if (!store.timescale || target.admin === undefined) {
        ctx.annotate?.(`${target.name}: no TimescaleDB; plain tables with a BRIN index on time and runRetention`);
        return;
      }
      const hypertables = await target.admin(
        `SELECT hypertable_name AS name, compression_enabled AS c FROM timescaledb_information.hypertables WHERE hypertable_schema = 'public' ORDER BY 1`,
      );
      expect(hypertables.filter((h) => !String(h.name).startsWith('_'))).toEqual([
        { name: 'alert_transitions', c: true },
        { name: 'clause_results', c: true },
        { name: 'samples', c: true },
        { name: 'site_scores', c: true },
      ]);
      const jobs = await target.admin(
        `SELECT proc_name AS proc, coalesce(hypertable_name, '') AS ht, config FROM timescaledb_information.jobs WHERE job_id >= 1000 ORDER BY job_id`,
      );
      const compress = jobs.filter((j) => j.proc === 'policy_compression');
      expect(compress.map((j) => j.ht).sort()).toEqual(['alert_transitions', 'clause_results', 'samples', 'site_scores']);
      expect(compress.every((j) => (j.config as { compress_after: string }).compress_after === '7 days')).toBe(true);
      const caggs = await target.admin(`SELECT view_name AS v, materialized_only AS m FROM timescaledb_information.continuous_aggregates ORDER BY 1`);
      expect(caggs).toEqual([
        { v: 'samples_1h', m: false },
        { v: 'samples_1m', m: false },
      ]);
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
      await store.writeSamples([
        { site: 'tsr', point: 'P', ts: long, value: 1, quality: 'good' },
        { site: 'tsr-held', point: 'P', ts: long, value: 2, quality: 'good' },
      ]);
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
