/** TelemetryStore's contract, run by db/store.contract.ts against every backend. */
import { describe, expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import { ALL, DAY, HOUR, MIN, sample, T0 } from './store-contract-rows.ts';
import type { TelemetryStore } from './telemetry-store.ts';

export function telemetryStoreContract(store: () => TelemetryStore): void {
  describe('readings', () => {
    it('round-trips number, boolean and string values with quality and reason', async () => {
      const rows: Sample[] = [
        { site: 'tel', point: 'T101.level', ts: T0, value: 12.345678, quality: 'good' },
        { site: 'tel', point: 'T101.level', ts: T0 + 1, value: -0.5, quality: 'uncertain', reason: 'Uncertain_LastUsableValue' },
        { site: 'tel', point: 'T101.level', ts: T0 + 2, value: true, quality: 'good' },
        { site: 'tel', point: 'T101.level', ts: T0 + 3, value: false, quality: 'bad', reason: 'stale' },
        { site: 'tel', point: 'T101.level', ts: T0 + 4, value: '液位计故障', quality: 'bad', reason: 'Modbus exception 4' },
        { site: 'tel', point: 'T102.level', ts: T0 + 1, value: 3, quality: 'good' },
        { site: 'tel2', point: 'T101.level', ts: T0 + 1, value: 4, quality: 'good' },
      ];
      await store().writeSamples(rows);
      expect(await store().series('tel', 'T101.level', T0, T0 + 4)).toEqual([
        { ts: T0, value: 12.345678, quality: 'good' },
        { ts: T0 + 1, value: -0.5, quality: 'uncertain', reason: 'Uncertain_LastUsableValue' },
        { ts: T0 + 2, value: true, quality: 'good' },
        { ts: T0 + 3, value: false, quality: 'bad', reason: 'stale' },
        { ts: T0 + 4, value: '液位计故障', quality: 'bad', reason: 'Modbus exception 4' },
      ]);
      expect((await store().series('tel', 'T101.level', T0 + 1, T0 + 2)).map((p) => p.ts)).toEqual([T0 + 1, T0 + 2]);
    });

    it('keeps every millisecond of the source timestamp', async () => {
      const stamps = Array.from({ length: 1000 }, (_, i) => T0 + i * 7919 + (i % 1000));
      await store().writeSamples(stamps.map((ts, i) => ({ site: 'ms', point: 'P.x', ts, value: i, quality: 'good' as const })));
      expect((await store().series('ms', 'P.x', ...ALL)).map((p) => p.ts)).toEqual(stamps);
    });

    it('ignores a rewrite of the same (site, point, ts)', async () => {
      await store().writeSamples([sample('idem', 1), sample('idem', 2)]);
      await store().writeSamples([{ ...sample('idem', 1), value: 99 }, sample('idem', 2), sample('idem', 3)]);
      const got = await store().series('idem', 'T101.level', ...ALL);
      expect(got.map((p) => p.value)).toEqual([1, 2, 3]);
    });

    it('writes batches past the 65535-parameter limit in one call', async () => {
      const rows = Array.from({ length: 20_000 }, (_, i) => sample('big', i));
      await store().writeSamples(rows);
      expect(await store().series('big', 'T101.level', ...ALL)).toHaveLength(20_000);
    });
  });

  describe('newest readings', () => {
    it("gives the newest reading of each of a site's points in the span, oldest first, and no other site's", async () => {
      await store().writeSamples([
        { site: 'new', point: 'T1.level', ts: T0, value: 1, quality: 'good' },
        { site: 'new', point: 'T1.level', ts: T0 + 5 * MIN, value: 2, quality: 'uncertain', reason: 'Uncertain_LastUsableValue' },
        { site: 'new', point: 'T1.level', ts: T0 + 20 * MIN, value: 3, quality: 'good' }, // after the span
        { site: 'new', point: 'V1.open', ts: T0 + MIN, value: true, quality: 'good' },
        { site: 'new', point: 'V1.open', ts: T0 + 2 * MIN, value: false, quality: 'bad', reason: 'stale' },
        { site: 'new', point: 'T1.state', ts: T0 + 3 * MIN, value: '液位计故障', quality: 'good' },
        { site: 'new', point: 'T2.level', ts: T0 - MIN, value: 7, quality: 'good' }, // before the span: absent
        { site: 'new-other', point: 'T1.level', ts: T0 + 6 * MIN, value: 9, quality: 'good' },
        { site: 'new-other', point: 'X.only', ts: T0 + 6 * MIN, value: 9, quality: 'good' },
      ]);
      expect(await store().newestReadings('new', T0, T0 + 10 * MIN)).toEqual([
        { point: 'V1.open', ts: T0 + 2 * MIN, value: false, quality: 'bad', reason: 'stale' },
        { point: 'T1.state', ts: T0 + 3 * MIN, value: '液位计故障', quality: 'good' },
        { point: 'T1.level', ts: T0 + 5 * MIN, value: 2, quality: 'uncertain', reason: 'Uncertain_LastUsableValue' },
      ]);
    });

    it('holds both ends of the span, and nothing for a site or span without readings', async () => {
      await store().writeSamples([sample('new-ends', 0, 'A'), sample('new-ends', 10, 'A'), sample('new-ends', 5, 'B')]);
      expect((await store().newestReadings('new-ends', T0, T0 + 10_000)).map((r) => [r.point, r.value])).toEqual([
        ['B', 5],
        ['A', 10],
      ]);
      expect((await store().newestReadings('new-ends', T0, T0 + 4_000)).map((r) => [r.point, r.value])).toEqual([['A', 0]]);
      expect((await store().newestReadings('new-ends', T0 + 10_000, T0 + 20_000)).map((r) => [r.point, r.value])).toEqual([['A', 10]]);
      expect(await store().newestReadings('new-ends', T0 + 11_000, T0 + 20_000)).toEqual([]);
      expect(await store().newestReadings('new-nowhere', ...ALL)).toEqual([]);
    });

    it('gives a point whose newest row has no value with value null, not an older reading', async () => {
      // a row with no value column set: what a producer that skips the type checks would leave
      const valueless = { site: 'new-null', point: 'P', ts: T0 + 2000, value: null as unknown as number, quality: 'bad' as const, reason: 'no value' };
      await store().writeSamples([sample('new-null', 1, 'P'), valueless]);
      expect(await store().newestReadings('new-null', ...ALL)).toEqual([{ point: 'P', ts: T0 + 2000, value: null, quality: 'bad', reason: 'no value' }]);
    });
  });

  describe('charts', () => {
    it('charts raw for hours, 1-minute buckets for days, 1-hour buckets for months', async () => {
      const rows: Sample[] = [];
      for (let i = 0; i < 3 * 24 * 60; i++) rows.push({ site: 'chart', point: 'T1.level', ts: T0 + i * MIN + 1000, value: i % 60, quality: 'good' });
      rows.push({ site: 'chart', point: 'T1.level', ts: T0 + 5 * MIN + 2000, value: true, quality: 'good' });
      await store().writeSamples(rows);
      const raw = await store().chart('chart', 'T1.level', T0, T0 + HOUR);
      expect(raw.resolution).toBe('raw');
      if (raw.resolution === 'raw') expect(raw.points).toHaveLength(61);
      const minute = await store().chart('chart', 'T1.level', T0, T0 + 2 * DAY);
      expect(minute.resolution).toBe('1m');
      if (minute.resolution !== 'raw') {
        expect(minute.buckets).toHaveLength(2 * 24 * 60 + 1); // whole buckets starting in [from, to]
        expect(minute.buckets[5]).toEqual({ ts: T0 + 5 * MIN, avg: 5, min: 5, max: 5, n: 2 });
      }
      const hour = await store().chart('chart', 'T1.level', T0, T0 + 30 * DAY);
      expect(hour.resolution).toBe('1h');
      if (hour.resolution !== 'raw') {
        expect(hour.buckets).toHaveLength(72);
        expect(hour.buckets.reduce((n, b) => n + b.n, 0)).toBe(rows.length);
        expect(hour.buckets[0]).toEqual({ ts: T0, avg: 29.5, min: 0, max: 59, n: 61 });
      }
      expect(await store().chart('chart', 'nowhere', T0, T0 + 30 * DAY)).toEqual({ resolution: '1h', buckets: [] });
    });
  });
}
