import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Alert, type Site } from '../../model/index.ts';
import { loadStandard, parseDuration, type Standard } from '../../standards/index.ts';
import { playOnVirtualTime, repeat, SITE_FILE, STANDARD_1_1_FILE as STANDARD_FILE, type Step } from './hazard-test-support.ts';

const MIN = 60_000;

let site: Site;
let standard: Standard;
let delayOff: number;
beforeAll(async () => {
  [site, standard] = await Promise.all([loadSite(SITE_FILE), loadStandard(STANDARD_FILE)]);
  delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
});

const warnings = (alerts: Alert[]) => alerts.filter((a) => a.incident?.hazard === 'lightning' && a.transition?.action !== 'escalate');
const levelOf = (a: Alert) => Number(/warning level (\d)/.exec(a.message.en)?.[1]);
/** the feed reads "no strike" (999 km) every 5 s and the field mill fair weather, from 0 to `until` */
const fair = (until: number): Step[] => [...repeat('LD1.strike_distance', 999, 0, until, 5_000), ...repeat('LD1.electric_field', 0.1, 0, until, 5_000)];
const strike = (ms: number, km: number): Step => [ms, 'LD1.strike_distance', km];

describe('lightning warning (MEM 2022: level 1 beyond 10 km, 2 within 5–10 km, 3 within 5 km)', () => {
  it("rises 1 → 2 → 3 with the strikes, adds each level's actions and severity, steps down as they age and clears 30 min after the last", () => {
    const steps: Step[] = [...fair(50 * MIN), strike(MIN + 1, 25), strike(5 * MIN + 1, 8), strike(8 * MIN + 1, 3)];
    const seen = warnings(playOnVirtualTime(site, standard, steps, 50 * MIN).alerts);
    expect(seen.map((a) => [a.changedAt, a.transition?.action, levelOf(a), a.severity])).toEqual([
      [MIN + 1, 'raise', 1, 3],
      [5 * MIN + 1, 'update', 2, 2],
      [8 * MIN + 1, 'update', 3, 1],
      [18 * MIN + 1, 'update', 1, 3], // the 3 km strike is 10 min old: the 8 km one aged out before it — the storm is still about
      [38 * MIN + 1 + delayOff, 'return', 1, 3], // 30 min without a strike: all clear
    ]);
    const [one, two, three] = seen;
    expect(one!.actions[0]!.en).toBe('Ready the foam and cooling water systems; the shift watches the warning');
    expect(two!.actions.map((a) => a.en).slice(0, 2)).toEqual([
      'Ready the foam and cooling water systems; the shift watches the warning',
      'Stop transfers (loading, unloading, tank to tank) and all hot work',
    ]);
    expect(three!.actions.map((a) => a.en)).toContain('Withdraw everyone from the tank tops and the tank farm indoors now');
    expect(three!.message.en).toBe('Lightning warning system: lightning warning level 3 — nearest strike 3 km (0 min ago), electric field 0.1 kV/m; monitoring good');
    expect(three!.incident!.countdowns).toEqual([{ kind: 'all-clear', label: { zh: '最早解除', en: 'All clear at the earliest' }, deadline: 8 * MIN + 1 + 30 * MIN }]);
    expect(three!.incident!.planZones!.features.map((f) => f.properties['radiusM'])).toEqual([5_000, 10_000]);
  });

  it('raises level 1 on the electric field alone, before the first strike, and clears when it falls', () => {
    const steps: Step[] = [
      ...repeat('LD1.strike_distance', 999, 0, 10 * MIN, 5_000),
      ...repeat('LD1.electric_field', 0.5, 0, 2 * MIN - 1, 5_000),
      ...repeat('LD1.electric_field', 2.4, 2 * MIN, 5 * MIN - 1, 5_000),
      ...repeat('LD1.electric_field', 0.4, 5 * MIN, 10 * MIN, 5_000),
    ];
    const seen = warnings(playOnVirtualTime(site, standard, steps, 10 * MIN).alerts);
    expect(seen.map((a) => [a.changedAt, a.transition?.action, levelOf(a)])).toEqual([
      [2 * MIN, 'raise', 1],
      [5 * MIN + delayOff, 'return', 1],
    ]);
  });

  it('a feed lost during a warning reads "lightning unknown": the level holds, never steps down, never clears, until good readings return', () => {
    const steps: Step[] = [
      ...repeat('LD1.electric_field', 0.1, 0, 60 * MIN, 5_000),
      ...repeat('LD1.strike_distance', 999, 0, 9 * MIN, 5_000),
      strike(2 * MIN + 1, 4),
      ...repeat('LD1.strike_distance', 999, 10 * MIN, 55 * MIN, 5_000, 'bad'), // the feed gateway is down (or its readings stale)
      ...repeat('LD1.strike_distance', 999, 56 * MIN, 60 * MIN, 5_000),
    ];
    const seen = warnings(playOnVirtualTime(site, standard, steps, 60 * MIN).alerts);
    expect(seen.map((a) => [a.changedAt, a.transition?.action, levelOf(a)])).toEqual([
      [2 * MIN + 1, 'raise', 3],
      [10 * MIN, 'update', 3], // unknown from the first bad reading: level 3 held (the 4 km strike aged out at 12 min)
      [56 * MIN + delayOff, 'return', 3], // all clear only once the feed is back and reads clear (its last strike 54 min old)
    ]);
    expect(seen[1]!.message.en).toMatch(/lightning unknown: no good reading from the feed since \d\d:\d\d; keep the level 3 measures$/);
    expect(seen[1]!.incident!.countdowns).toEqual([]); // no all-clear countdown while blind
  });

  it("a lost feed without a warning raises nothing here (the source's comms loss says it); fair weather is no incident", () => {
    const steps: Step[] = [...fair(5 * MIN), ...repeat('LD1.strike_distance', 999, 5 * MIN + 1, 10 * MIN, 5_000, 'bad')];
    expect(warnings(playOnVirtualTime(site, standard, steps, 10 * MIN).alerts)).toEqual([]);
  });
});

describe('a record entered during a warning (engine.addEvidence)', () => {
  it('is judged at once in place: the warning and its strikes are not forgotten, the evidence clause changes', () => {
    const steps: Step[] = [...repeat('LD1.electric_field', 0.1, 0, 10 * MIN, 5_000), ...repeat('LD1.strike_distance', 999, 0, 10 * MIN, 5_000), strike(MIN + 1, 3)];
    const { alerts, events } = playOnVirtualTime(site, standard, steps, 10 * MIN, (engine, at) =>
      // the special plan drilled today (the scheduler's clock starts at 1970-01-01: the demo's own record is in its future)
      at(3 * MIN, () => engine.addEvidence(site.id, { kind: 'special-plan-drill', date: '1970-01-01', by: 'manager', passed: true, values: {} })),
    );
    // the level-3 warning stands through the record: a rebuilt site would have read the feed's 999 km and cleared it
    expect(warnings(alerts).map((a) => [a.changedAt, a.transition?.action])).toEqual([[MIN + 1, 'raise']]);
    const drill = events
      .filter((e) => e.type === 'result')
      .map((e) => e.data as { clause: string; verdict: string; since: number })
      .filter((r) => r.clause === 'ORDER40-21-SPECIAL-DRILL');
    expect(drill.at(-1)).toMatchObject({ verdict: 'pass', since: 3 * MIN });
  });
});
