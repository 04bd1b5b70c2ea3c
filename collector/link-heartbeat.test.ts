import { describe, expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import { createLinkHeartbeat } from './link-heartbeat.ts';
import { createRecorder } from './test-support.ts';

const online = (source: string, value: boolean, ts: number, reason?: string): Sample => ({
  site: 's',
  point: `${source}.online`,
  value,
  quality: 'good',
  ts,
  ...(reason ? { reason } : {}),
});

/** a heartbeat on a hand-driven clock and timer: plc stale after 3 s (a beat every 1 s), rtu after 9 s (every 3 s) */
function harness() {
  let clock = 0;
  let tick: (() => void) | undefined;
  let cleared = false;
  let everyMs = 0;
  const recorder = createRecorder();
  const heartbeat = createLinkHeartbeat({
    site: 's',
    sources: [
      { id: 'plc', staleAfterMs: 3000 },
      { id: 'rtu', staleAfterMs: 9000 },
    ],
    sink: recorder.sink,
    now: () => clock,
    setInterval: (callback, ms) => ((tick = callback), (everyMs = ms), 'handle'),
    clearInterval: (handle) => (cleared = handle === 'handle'),
  });
  const advance = (ms: number) => {
    for (let t = 0; t < ms; t += everyMs) {
      clock += everyMs;
      tick?.();
    }
  };
  const beats = () => recorder.samples.filter((s) => s.point.endsWith('.online')).map((s) => [s.point, s.value, s.ts, s.reason]);
  return { heartbeat, recorder, advance, beats, everyMs: () => everyMs, cleared: () => cleared };
}

describe('link heartbeat', () => {
  it('passes samples through untouched and checks every sixth of the shortest staleAfterMs', () => {
    const { heartbeat, recorder, everyMs } = harness();
    const level: Sample = { site: 's', point: 'T1.level', value: 3.2, quality: 'good', ts: 42 };
    heartbeat.sink(level);
    expect(recorder.samples).toEqual([level]);
    expect(everyMs()).toBe(500);
  });

  it('sends nothing for a source that has not reported its state yet', () => {
    const { heartbeat, advance, beats } = harness();
    heartbeat.sink({ site: 's', point: 'T1.level', value: 3.2, quality: 'good', ts: 0 });
    advance(20_000);
    expect(beats()).toEqual([]);
  });

  it("sends each source's latest report again, as it stands with ts = now, every third of its staleAfterMs", () => {
    const { heartbeat, advance, beats } = harness();
    heartbeat.sink(online('plc', true, 0));
    heartbeat.sink(online('rtu', false, 0, 'not connected (ECONNREFUSED)'));
    advance(3000);
    expect(beats()).toEqual([
      ['plc.online', true, 0, undefined],
      ['rtu.online', false, 0, 'not connected (ECONNREFUSED)'],
      ['plc.online', true, 1000, undefined],
      ['plc.online', true, 2000, undefined],
      ['plc.online', true, 3000, undefined],
      ['rtu.online', false, 3000, 'not connected (ECONNREFUSED)'],
    ]);
  });

  it("counts the source's own report as a beat, and sends the state it changed to", () => {
    const { heartbeat, advance, beats } = harness();
    heartbeat.sink(online('plc', true, 0));
    advance(500);
    heartbeat.sink(online('plc', false, 500, 'connection lost'));
    advance(1000);
    expect(beats()).toEqual([
      ['plc.online', true, 0, undefined],
      ['plc.online', false, 500, 'connection lost'],
      ['plc.online', false, 1500, 'connection lost'],
    ]);
  });

  it("leaves another site's reports alone, and sends nothing once stopped", () => {
    const { heartbeat, advance, beats, cleared } = harness();
    heartbeat.sink({ ...online('plc', true, 0), site: 'elsewhere' });
    advance(2000);
    expect(beats()).toEqual([['plc.online', true, 0, undefined]]); // passed on, never sent again
    heartbeat.sink(online('plc', true, 2000));
    heartbeat.stop();
    expect(cleared()).toBe(true);
    heartbeat.beat();
    advance(5000);
    expect(beats()).toHaveLength(2);
  });
});
