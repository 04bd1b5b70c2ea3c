// Staleness has one owner: the collector's stale watchdog and link heartbeat (real, on a virtual
// clock) deliver to a live engine on the same clock, as main wires them, and what they delivered is
// recorded. A gauge that falls silent turns its clauses unknown by the collector's decision; a feed
// that dies turns them unknown by the engine's link watch; replaying the record gives the same
// verdicts, verdict for verdict, and the same alarms.
import { describe, expect, it } from 'vitest';
import { createLinkHeartbeat, createStaleWatchdog } from '../collector/index.ts';
import { createEngine, createVirtualClock, replay, type VirtualClock } from '../engine/index.ts';
import { loadSite, type LiveEvent, type Sample } from '../model/index.ts';
import { loadStandard } from '../standards/index.ts';

const root = new URL('..', import.meta.url).pathname;
const site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standard = await loadStandard(`${root}standards/oil-depot-above-ground/1.0.0.yaml`);
const HH = 'GB50074-15.1.2-HH';
const T0 = 1_780_000_000_000;
const S = 1000;

/** a repeating timer on the virtual clock, as setInterval */
function everyOn(clock: VirtualClock) {
  return (callback: () => void, ms: number) => {
    const timer = clock.scheduler.schedule(function (this: { schedule(state?: unknown, delay?: number): unknown }) {
      callback();
      this.schedule(undefined, ms);
    }, ms);
    return timer;
  };
}

/**
 * Every point read every second (offset half a second from the collector's own timers), as
 * `reads(second, point)` says (undefined: it says nothing); both sources report themselves online at
 * the start and stay so (some point of each reads good). Delivered through the collector's watchdog and heartbeat into a live engine and a record; from
 * `collectorDiesAt` (s) the collector delivers nothing more, its process gone, while the engine runs on.
 */
function runLive(seconds: number, reads: (second: number, point: string) => number | boolean | undefined, collectorDiesAt = Infinity) {
  const clock = createVirtualClock(T0);
  const engine = createEngine({ sites: [site], standards: [standard], scheduler: clock.scheduler });
  const live: LiveEvent[] = [];
  engine.events$.subscribe((e) => live.push(e));
  const recorded: Sample[] = [];
  const deliver = (sample: Sample) => {
    recorded.push(sample);
    engine.ingest(sample);
  };
  const timers = { now: () => clock.scheduler.now(), setInterval: everyOn(clock), clearInterval: (t: unknown) => (t as { unsubscribe(): void }).unsubscribe() };
  const heartbeat = createLinkHeartbeat({ site: site.id, sources: site.sources, sink: deliver, ...timers });
  const watchdog = createStaleWatchdog({ site: site.id, points: site.points, sink: heartbeat.sink, ...timers });
  clock.settle();
  for (let s = 0; s < seconds; s++) {
    clock.advanceTo(T0 + s * S + 500);
    if (s === collectorDiesAt) {
      heartbeat.stop();
      watchdog.stop();
    }
    if (s >= collectorDiesAt) continue;
    const at = clock.scheduler.now();
    if (s === 0) for (const source of site.sources) watchdog.sink({ site: site.id, point: `${source.id}.online`, value: true, quality: 'good', ts: at });
    for (const p of site.points) {
      const value = reads(s, p.id);
      if (value !== undefined) watchdog.sink({ site: site.id, point: p.id, value, quality: 'good', ts: at });
    }
  }
  const until = T0 + seconds * S;
  clock.advanceTo(until + 1);
  heartbeat.stop();
  watchdog.stop();
  engine.dispose();
  return { live, recorded, until };
}

const of = <T extends LiveEvent['type']>(events: LiveEvent[], type: T) =>
  events.filter((e): e is Extract<LiveEvent, { type: T }> => e.type === type).map((e) => e.data as Extract<LiveEvent, { type: T }>['data']);
const healthy = (point: string): number | boolean =>
  point.endsWith('.level') ? 12 : point.endsWith('.gas') ? 2 : point.endsWith('flame') ? false : point.includes('wind') ? 3 : 1;

describe('staleness: decided by the collector, recorded, replayed', () => {
  it('turns a silent gauge unknown by the collector’s stale report while its PLC reads on, and a replay of the record agrees', () => {
    // T101's gauge says nothing after 5 s; the rest of the PLC reads on for a minute
    const { live, recorded, until } = runLive(60, (s, point) => (point === 'T101.level' && s > 5 ? undefined : healthy(point)));
    const stale = recorded.filter((r) => r.reason === 'stale');
    expect(stale.map((r) => [r.point, r.quality, r.value])).toEqual([['T101.level', 'bad', 12]]);
    // silent from 5.5 s: reported within a check (1 s) of its 10 s staleAfterMs
    expect(stale[0]!.ts - (T0 + 5500)).toBeGreaterThanOrEqual(10_000);
    expect(stale[0]!.ts - (T0 + 5500)).toBeLessThanOrEqual(11_000);
    const t101 = of(live, 'result').filter((r) => r.clause === HH && r.subject === 'T101');
    expect(t101.map((r) => [r.verdict, r.since])).toEqual([
      ['pass', T0 + 500],
      ['unknown', stale[0]!.ts],
    ]);
    expect(t101[1]!.reason?.en).toContain('stale');
    // nothing of the link was lost: both sources stayed online, their heartbeats in the record
    expect(of(live, 'sample').filter((r) => r.reason === 'link-lost')).toEqual([]);
    expect(of(live, 'alert').filter((a) => a.kind === 'comms-loss')).toEqual([]);
    expect(recorded.filter((r) => r.point === 'rtu-fire.online').length).toBeGreaterThan(10);

    const replayed = replay({ samples: recorded, site, standard, from: T0, until });
    expect(replayed.results).toEqual(of(live, 'result'));
    expect(replayed.alerts).toEqual(of(live, 'alert'));
  });

  it('turns the readings of a feed that dies unknown by the link watch, raises communications loss, and a replay of the record agrees', () => {
    // the collector delivers for 20 s, then nothing more at all (its process is gone); the engine runs on for two minutes
    const { live, recorded, until } = runLive(120, (_s, point) => healthy(point), 20);
    const plc = (r: Sample) => r.point === 'plc-tankfarm.online' || site.points.find((p) => p.id === r.point)?.source === 'plc-tankfarm';
    const plcLast = recorded.filter(plc).at(-1)!.ts;
    expect(plcLast).toBeLessThan(T0 + 20 * S + 500);
    const lost = of(live, 'sample').filter((r) => r.reason === 'link-lost');
    // what the PLC's feed left showing, its staleAfterMs (10 s) after the last thing heard of it: every reading bad, the PLC offline
    expect(
      lost
        .filter((r) => r.point !== 'plc-tankfarm.online' && plc(r))
        .map((r) => r.point)
        .sort(),
    ).toEqual(
      site.points
        .filter((p) => p.source === 'plc-tankfarm')
        .map((p) => p.id)
        .sort(),
    );
    expect(lost.filter((r) => plc(r)).every((r) => (r.point === 'plc-tankfarm.online' ? r.value === false && r.ts === plcLast + 10_000 : r.quality === 'bad'))).toBe(true);
    const t101 = of(live, 'result').filter((r) => r.clause === HH && r.subject === 'T101');
    expect(t101.map((r) => [r.verdict, r.since])).toEqual([
      ['pass', T0 + 500],
      ['unknown', plcLast + 10_000],
    ]);
    expect(t101[1]!.reason?.en).toContain('link-lost');
    // each source's comms-loss alarm after its 10 s delay
    const rtuLast = recorded.filter((r) => !plc(r)).at(-1)!.ts;
    expect(
      of(live, 'alert')
        .filter((a) => a.kind === 'comms-loss')
        .map((a) => [a.subjects[0], a.transition?.action, a.changedAt]),
    ).toEqual([
      ['plc-tankfarm', 'raise', plcLast + 20_000],
      ['rtu-fire', 'raise', rtuLast + 20_000],
    ]);
    // nothing of the death is in the record: a replay finds it from the record's silence, at the same instants
    expect(recorded.some((r) => r.reason === 'link-lost')).toBe(false);
    const replayed = replay({ samples: recorded, site, standard, from: T0, until });
    expect(replayed.results).toEqual(of(live, 'result'));
    expect(replayed.alerts).toEqual(of(live, 'alert'));
    expect(of(replayed.events, 'sample')).toEqual(of(live, 'sample'));
  });
});
