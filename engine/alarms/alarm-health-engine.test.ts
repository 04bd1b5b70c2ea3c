import { TestScheduler } from 'rxjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type AlarmHealth, type Alert, type LiveEvent, type Site } from '../../model/index.ts';
import { loadStandard, type Standard } from '../../standards/index.ts';
import { createEngine, type Engine } from '../index.ts';

const SITE = new URL('../../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARD = new URL('../../standards/oil-depot-above-ground/1.0.0.yaml', import.meta.url).pathname;
const MIN = 60_000;
const T0 = 1_700_000_000_000;

let site: Site;
let standard: Standard;
beforeAll(async () => {
  site = await loadSite(SITE);
  standard = await loadStandard(STANDARD);
});

type Step = [number, string, number | boolean];

/** Plays samples through the real engine (demo site, 1.0.0 standard) on virtual time starting at T0. */
function play(steps: Step[], until: number, probe?: (engine: Engine, at: (ms: number, fn: () => void) => void) => void) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const events: LiveEvent[] = [];
  scheduler.run(({ flush }) => {
    scheduler.schedule(() => {
      const engine = createEngine({ sites: [site], standards: [standard], scheduler });
      engine.events$.subscribe((e) => events.push(e));
      for (const [ms, point, value] of steps) scheduler.schedule(() => engine.ingest({ site: site.id, point, value, quality: 'good', ts: T0 + ms }), ms);
      probe?.(engine, (ms, fn) => scheduler.schedule(fn, ms));
      scheduler.schedule(() => engine.dispose(), until);
    }, 0);
    flush();
  });
  const alerts = events.filter((e) => e.type === 'alert').map((e) => e.data as Alert);
  const health = events.filter((e) => e.type === 'health').map((e) => e.data as AlarmHealth);
  return { events, alerts, health };
}

/** every tank above its high-high set-point, one a few seconds after the other */
const allTanksHigh = (from: number): Step[] =>
  site.assets
    .filter((a) => a.kind === 'tank')
    .map((tank, i): Step => [from + i * 5_000, `${tank.id}.level`, (tank.attributes as { levelCriticalHigh: number }).levelCriticalHigh - 0.3]);

describe('alarm-system health in the engine (demo site, 1.0.0)', () => {
  const FIRE = `zhoushan-demo:hazard:tank-fire:T201:0`;

  it("finds the flood when every tank goes high after a fire, and groups the alarms of the fire's tanks under it", () => {
    const { alerts, health } = play([[0, 'T201.flame', true], ...allTanksHigh(MIN)], 20 * MIN);
    // the fire (T201, exposing T202) and then HIGH + HH on each of six tanks, 5 s apart: the 10th and 11th annunciations
    // at 80 s; the figures are published once per instant, so the first flooded ones already count both
    const start = health.find((h) => h.flood.active)!;
    expect(start).toMatchObject({ at: MIN + 20_000, lastWindow: 11, flood: { active: true, since: MIN + 20_000, count: 11 } });
    expect(health.filter((h) => h.at === MIN + 20_000)).toHaveLength(1);
    const latest = new Map(alerts.map((a) => [a.id, a]));
    const grouped = [...latest.values()]
      .filter((a) => a.cause === FIRE)
      .map((a) => a.id.split(':').slice(1, 3).join(':'))
      .sort();
    expect(grouped).toEqual(['GB50074-15.1.1-HIGH:T201', 'GB50074-15.1.1-HIGH:T202', 'GB50074-15.1.2-HH:T201', 'GB50074-15.1.2-HH:T202']);
    // alarms of tanks the fire does not reach stay on their own; the incident itself has no cause
    expect(
      [...latest.values()]
        .filter((a) => a.cause === undefined)
        .map((a) => a.subjects[0])
        .sort(),
    ).toEqual(['T101', 'T101', 'T102', 'T102', 'T201', 'T301', 'T301', 'T302', 'T302']);
    expect(latest.get(FIRE)!.cause).toBeUndefined();
    // raised before the flood: grouped by an update when it began; raised during it: grouped as raised
    const t201 = alerts.filter((a) => a.id.includes('GB50074-15.1.2-HH:T201') && a.transition!.action !== 'escalate');
    expect(t201.map((a) => [a.transition!.action, a.transition!.at, a.cause])).toEqual([
      ['raise', MIN + 10_000, undefined],
      ['update', MIN + 20_000, FIRE],
    ]);
    // the flood ends when the window holds fewer than 5: the two of 75 s leave it at 11 min 15 s, four remain
    const end = health.find((h) => h.at > start.at && !h.flood.active)!;
    expect(end).toMatchObject({ at: 11 * MIN + 15_000, lastWindow: 4 });
    expect(end.floods).toEqual([{ start: MIN + 20_000, end: end.at, count: 13 }]);
    expect(end.top[0]).toMatchObject({ count: 1 });
    expect(end.period).toMatchObject({ annunciations: 13, floodedWindows: 1, windows: 2 });
  });

  it('answers engine.health(site) with the figures now, and keeps them across a new site definition', () => {
    const seen: (AlarmHealth | undefined)[] = [];
    const { health } = play([[0, 'T201.flame', true], ...allTanksHigh(MIN)], 5 * MIN, (engine, at) => {
      at(2 * MIN, () => seen.push(engine.health(site.id)));
      at(3 * MIN, () => engine.updateSite(site));
      at(4 * MIN, () => seen.push(engine.health(site.id)));
      at(4 * MIN, () => seen.push(engine.health('atlantis')));
    });
    expect(seen[0]).toEqual({ ...health.at(-1)!, at: 2 * MIN });
    expect(seen[1]).toMatchObject({ at: 4 * MIN, lastWindow: 13, flood: { active: true, since: MIN + 20_000, count: 13 }, period: { annunciations: 13 } });
    expect(seen[2]).toBeUndefined();
  });

  it('emits no health event for samples that change no alarm', () => {
    const steady: Step[] = [];
    for (let t = 0; t < 10 * MIN; t += 1_000) steady.push([t, 'T201.level', t % 2_000 === 0 ? 10 : 10.01]);
    const { events, health } = play(steady, 11 * MIN);
    expect(events.filter((e) => e.type === 'sample').length).toBeGreaterThanOrEqual(600);
    expect(health).toEqual([]);
  });
});
