import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import type { LiveEvent } from '../../model/index.ts';
import { clientEvents, lightStreamPoints } from './client-events.ts';
import type { StampedEvent } from './event-hub.ts';

let ids = 0;
const stamp = (event: LiveEvent): StampedEvent => ({ id: ++ids, event });
const sample = (point: string, value: number, site = 's1', quality: 'good' | 'bad' = 'good'): StampedEvent =>
  stamp({
    type: 'sample',
    data: { site, point, value, quality, ts: value },
  });
const score = (site: string): StampedEvent =>
  stamp({
    type: 'score',
    data: {
      site,
      ts: 0,
      score: 50,
      grade: 'C',
      risk: 'orange',
      riskReason: { zh: '合规得分 50', en: 'compliance score 50' },
      complianceRisk: 'orange',
      coverage: 1,
      standard: 'x@1',
      counts: { pass: 1, fail: 1, unknown: 0, 'not-applicable': 0 },
    },
  });

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('clientEvents', () => {
  it('passes the first sample of a point at once, then only the latest per period', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const values = { a: sample('p', 1), b: sample('p', 2), c: sample('p', 3), d: sample('q', 9), e: sample('p', 4) };
      const events$ = hot('a-b-c-d 1s e', values);
      // p: 1 at 0, trailing 3 at 1000, then 4 (arrives at 1007) trails at 2000; q: 9 at 6
      expectObservable(clientEvents(events$, 's1', 1000), '^ 3s !').toBe('a-----d 993ms c 999ms e', values);
    });
  });

  it('keeps only the chosen site, and without a site only scores and alerts', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const values = { a: score('s1'), b: score('s2'), c: sample('p', 1, 's2') };
      expectObservable(clientEvents(hot('abc', values), 's2', 1000)).toBe('-bc', values);
      expectObservable(clientEvents(hot('abc', values), undefined, 1000)).toBe('ab-', values);
    });
  });

  it('without a site keeps only the sites the client may see', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const values = { a: score('s1'), b: score('s2') };
      expectObservable(clientEvents(hot('ab', values), undefined, 1000, { visible: (s) => s === 's2' })).toBe('-b', values);
    });
  });

  it('never throttles results, scores or alerts, however fast they come', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const values = { a: score('s1'), b: score('s1'), c: score('s1') };
      expectObservable(clientEvents(hot('abc', values), 's1', 1000)).toBe('abc', values);
    });
  });

  it('sends a reading only when it changed, and a steady one again after the refresh period', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const values = { a: sample('p', 1), b: sample('p', 1), c: sample('p', 1), d: sample('p', 1, 's1', 'bad'), e: sample('p', 2) };
      // b (same as a, 2 s later) is held back; c comes 61 s after a: sent as a sign the reading is current; then a change of quality, of value
      const events$ = hot('a 1999ms b 58999ms c 1999ms d 1999ms e', values);
      expectObservable(clientEvents(events$, 's1', 1000, { refreshMs: 60_000 }), '^ 70s !').toBe('a 60999ms c 1999ms d 1999ms e', values);
    });
  });

  it('a light stream keeps verdicts, scores and alerts and its own points, not health, evidence or other readings', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const health = stamp({ type: 'health', data: { site: 's1' } as never });
      const evidence = stamp({ type: 'evidence', data: { site: 's1', record: {} as never } });
      const values = { a: score('s1'), b: health, c: evidence, d: sample('WS1.wind_speed', 3), e: sample('T101.level', 12) };
      const light = clientEvents(hot('abcde', values), 's1', 1000, { mode: 'light', lightPoints: new Set(['WS1.wind_speed']) });
      expectObservable(light).toBe('a--d-', values);
      expectObservable(clientEvents(hot('abcde', values), 's1', 1000)).toBe('abcde', values);
    });
  });

  it("a light stream's points are the weather stations' wind", () => {
    const site = {
      assets: [
        { id: 'WS1', kind: 'weather-station' },
        { id: 'T101', kind: 'tank' },
      ],
      points: [
        { id: 'WS1.wind_speed', asset: 'WS1', name: 'wind_speed' },
        { id: 'WS1.wind_direction', asset: 'WS1', name: 'wind_direction' },
        { id: 'WS1.air_temperature', asset: 'WS1', name: 'air_temperature' },
        { id: 'T101.level', asset: 'T101', name: 'level' },
      ],
    } as never;
    expect([...lightStreamPoints(site)]).toEqual(['WS1.wind_speed', 'WS1.wind_direction']);
  });
});
