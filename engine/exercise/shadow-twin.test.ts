import { describe, expect, it } from 'vitest';
import { loadSite, type Alert } from '../../model/index.ts';
import { loadStandard } from '../../standards/index.ts';
import { loadScenario, parseScenario, scenarioSamples } from '../../sim/index.ts';
import { createEngine } from '../engine.ts';
import { createVirtualClock, feedSamples } from '../replay.ts';
import { createShadowTwin } from './shadow-twin.ts';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const SITE_FILE = new URL('../../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARD_FILE = new URL('../../standards/oil-depot-above-ground/1.1.0.yaml', import.meta.url).pathname;

/** the live twin of the demo depot after 5 quiet minutes, its gas detector GD1 failed (a live alarm that stays open) */
async function liveTwin() {
  const [site, standard] = await Promise.all([loadSite(SITE_FILE), loadStandard(STANDARD_FILE)]);
  const quiet = parseScenario(
    `name: quiet\ntitle: { zh: 平稳, en: quiet }\nsteps:\n  - { at: 10, action: drop, source: ${site.points.find((p) => p.id.endsWith('.rim_seal_fire'))!.source} }\n`,
  );
  const clock = createVirtualClock(T0);
  const engine = createEngine({ sites: [site], standards: [standard], scheduler: clock.scheduler });
  const alerts: Alert[] = [];
  engine.alerts$.subscribe((a) => alerts.push(a));
  clock.settle();
  feedSamples(
    engine,
    clock,
    [...scenarioSamples(site, quiet, { start: T0, untilMs: 5 * MIN })].flatMap((b) => b.samples),
  );
  clock.advanceTo(T0 + 5 * MIN);
  return { site, standard, engine, clock, alerts };
}

describe('a shadow twin for an exercise', () => {
  it('starts from the live state, raises only what the scenario brings (marked exercise, ids of its own), and leaves the live twin as it was', async () => {
    const live = await liveTwin();
    const before = live.engine.snapshot(live.site.id)!;
    expect(before.alerts.length).toBeGreaterThan(0); // the dropped source's communications loss, open
    const start = live.clock.scheduler.now();
    const scenario = await loadScenario('rim-seal-fire');
    const shadow = createShadowTwin({
      exerciseId: 'x1',
      site: live.site,
      standards: [live.standard],
      start,
      readings: Object.values(before.values),
      openAlerts: before.alerts,
      injected: scenarioSamples(live.site, scenario, { start, untilMs: 6 * MIN }),
    });
    const raised: Alert[] = [];
    shadow.alerts$.subscribe((a) => raised.push(a));
    shadow.advanceTo(start + 2 * MIN);

    const fire = raised.find((a) => a.incident?.hazard === 'tank-fire');
    expect(fire, 'the tank fire of the scenario').toBeDefined();
    expect(fire!.id).toMatch(new RegExp(`^${live.site.id}:exercise:x1:hazard:tank-fire:T101:`));
    expect(raised.every((a) => a.exercise === true && a.id.startsWith(`${live.site.id}:exercise:x1:`))).toBe(true);
    // the live alarms it holds are not the exercise's: none of them comes out again
    const held = new Set(before.alerts.map((a) => `${a.kind} ${a.subjects.join(',')}`));
    expect(raised.filter((a) => held.has(`${a.kind} ${a.subjects.join(',')}`))).toEqual([]);
    expect(shadow.snapshot().alerts.some((a) => a.incident?.hazard === 'tank-fire')).toBe(true);

    // a team answers the exercise alert through the shadow twin
    const received = shadow.respond(fire!.id, 'rescue', 'acknowledged');
    expect(received.exercise).toBe(true);
    expect(received.transition).toMatchObject({ action: 'respond', by: 'rescue', status: 'acknowledged' });
    expect(() => shadow.respond(`${live.site.id}:hazard:tank-fire:T101:1`, 'rescue', 'en-route')).toThrow(/raised no alert/);
    expect(shadow.now()).toBe(start + 2 * MIN);

    // the live twin: the same alerts, the same score, no fire
    const after = live.engine.snapshot(live.site.id)!;
    expect(after.alerts.map((a) => a.id)).toEqual(before.alerts.map((a) => a.id));
    expect(after.score).toEqual(before.score);
    expect(live.alerts.some((a) => a.incident?.hazard === 'tank-fire' || a.exercise)).toBe(false);
    shadow.dispose();
    live.engine.dispose();
  });
});
