/** RetentionStore's contract, run by db/store.contract.ts against every backend. */
import { expect, it } from 'vitest';
import { runRetention } from './retention.ts';
import type { RetentionStore } from './retention-store.ts';
import { DAY, result, T0 } from './store-contract-rows.ts';
import type { TelemetryStore } from './telemetry-store.ts';
import type { VerdictStore } from './verdict-store.ts';

/**
 * `store` holds the readings and verdicts the purge deletes. The purge deletes old rows of every
 * site, so this contract runs after the others on a shared database.
 */
export function retentionStoreContract(store: () => RetentionStore & TelemetryStore & VerdictStore): void {
  it('purges per table, keeps what an open hold covers and the state in force', async () => {
    const now = T0 + 400 * DAY;
    const old = T0 + 10 * DAY;
    await store().writeSamples([0, 1, 2].map((i) => ({ site: 'ret', point: 'P', ts: old + i * DAY, value: i, quality: 'good' as const })));
    await store().writeSamples([
      { site: 'ret-held', point: 'P', ts: old, value: 1, quality: 'good' },
      { site: 'ret', point: 'P', ts: now - DAY, value: 9, quality: 'good' },
    ]);
    await store().writeResults([result('ret', 'C', 'S', 'pass', old), result('ret', 'C', 'S', 'fail', old + DAY), result('ret', 'C', 'S', 'pass', old + 2 * DAY)]);
    const hold = await store().addHold({ site: 'ret-held', from: old - DAY, to: old + DAY, reason: 'audit 2025-Q1' });
    expect(await store().holds('ret-held')).toEqual([hold]);
    const counts = await runRetention(store(), { samples: 365, clauseResults: 365 }, now);
    expect(counts.samples).toBeGreaterThanOrEqual(3);
    expect((await store().series('ret', 'P', 0, now)).map((p) => p.value)).toEqual([9]);
    expect(await store().series('ret-held', 'P', 0, now)).toHaveLength(1);
    expect((await store().clauseHistory('ret', 'C', 'S')).map((r) => r.since)).toEqual([old + 2 * DAY]);
    expect((await store().stateAsOf('ret', now)).results.map((r) => r.verdict)).toEqual(['pass']);
    await store().releaseHold(hold.id);
    expect(await store().holds('ret-held')).toEqual([]);
    await runRetention(store(), { samples: 365 }, now);
    expect(await store().series('ret-held', 'P', 0, now)).toEqual([]);
  });

  it('keeps a series a rule asks to keep longer (a lightning feed, 3 years) past the samples policy, and no longer than asked', async () => {
    const now = T0 + 1200 * DAY;
    await store().keepSeries('ret-keep', ['LD1.strike_distance'], 1095);
    await store().writeSamples([
      { site: 'ret-keep', point: 'LD1.strike_distance', ts: T0 + 100 * DAY, value: 3.2, quality: 'good' }, // 1,100 days old: past 3 years
      { site: 'ret-keep', point: 'LD1.strike_distance', ts: T0 + 400 * DAY, value: 4.1, quality: 'good' }, // 800 days: kept
      { site: 'ret-keep', point: 'T1.level', ts: T0 + 400 * DAY, value: 9, quality: 'good' }, // the samples policy: gone
    ]);
    await runRetention(store(), { samples: 365 }, now);
    expect((await store().series('ret-keep', 'LD1.strike_distance', 0, now)).map((p) => p.value)).toEqual([4.1]);
    expect(await store().series('ret-keep', 'T1.level', 0, now)).toEqual([]);
    await expect(store().keepSeries('ret-keep', ['x'], 0)).rejects.toThrow(/positive whole number/);
  });
}
