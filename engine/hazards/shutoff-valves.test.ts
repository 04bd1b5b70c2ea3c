import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Alert, type ClauseResult, type Site, type Tank } from '../../model/index.ts';
import { checkLoadedSite, loadStandard, type Standard } from '../../standards/index.ts';
import { playOnVirtualTime, SITE_FILE, STANDARD_1_1_FILE as STANDARD_FILE, type Step } from './hazard-test-support.ts';

const S = 1_000;

let site: Site;
let standard: Standard;
beforeAll(async () => {
  [site, standard] = await Promise.all([loadSite(SITE_FILE), loadStandard(STANDARD_FILE)]);
});

const late = (alerts: Alert[]) => alerts.filter((a) => a.kind === 'hazard-shutoff-valve' && a.transition?.action !== 'escalate');
const strokeVerdicts = (events: { type: string; data: unknown }[]) =>
  events
    .filter((e) => e.type === 'result')
    .map((e) => e.data as ClauseResult)
    .filter((r) => r.clause === 'MEM2022-ESV-STROKE' && r.subject === 'T201');
const measured = (events: { type: string; data: unknown }[]) =>
  events.filter((e) => e.type === 'evidence').map((e) => (e.data as { record: { ref: string; passed: boolean; values: Record<string, number> } }).record);

/** T201's inlet valve open and reading so, then the close command at 10 s and the closed limit switch after `seconds` */
const close = (seconds: number | undefined, trigger: 'T201.esv_in_close_cmd' | 'T201.level_switch_hh' = 'T201.esv_in_close_cmd'): Step[] => [
  [0, 'T201.esv_in_closed', false],
  [0, 'T201.esv_in_close_cmd', false],
  [0, 'T201.level_switch_hh', false],
  [10 * S, trigger, true],
  ...(seconds === undefined ? [] : ([[10 * S + seconds * S, 'T201.esv_in_closed', true]] as Step[])),
];

describe('emergency shut-off valves (MEM 2022: full stroke within 180 s; high-high closes the inlet)', () => {
  it('a close in 200 s: the alarm at 180 s, the stroke kept as evidence, the stroke clause failing "200 s > 180 s"', () => {
    const { alerts, events } = playOnVirtualTime(site, standard, close(200), 300 * S);
    expect(late(alerts).map((a) => [a.changedAt, a.transition?.action, a.severity])).toEqual([
      [190 * S, 'raise', 2],
      [210 * S, 'return', 2],
    ]);
    expect(late(alerts)[0]!.message.en).toBe('Gasoline tank 1 esv_in: not closed 180 s after the close command');
    expect(measured(events)).toEqual([
      expect.objectContaining({ ref: 'esv_in: not closed 180 s after (command)', passed: false, values: { strokeSeconds: 180 } }),
      expect.objectContaining({ ref: 'esv_in: 200 s > 180 s (command)', passed: false, values: { strokeSeconds: 200 } }),
    ]);
    const verdicts = strokeVerdicts(events);
    expect(verdicts.at(-1)).toMatchObject({ verdict: 'fail', since: 210 * S });
    expect(JSON.stringify(verdicts.at(-1)!.evidence)).toContain('esv_in: 200 s > 180 s (command)');
  });

  it('a close in 64 s passes, with the measured stroke as its evidence; no alarm', () => {
    const { alerts, events } = playOnVirtualTime(site, standard, close(64), 300 * S);
    expect(late(alerts)).toEqual([]);
    expect(measured(events)).toEqual([expect.objectContaining({ ref: 'esv_in: 64 s ≤ 180 s (command)', passed: true, values: { strokeSeconds: 64 } })]);
    expect(strokeVerdicts(events).at(-1)).toMatchObject({ verdict: 'pass' });
    expect(JSON.stringify(strokeVerdicts(events).at(-1)!.evidence)).toContain('64 s ≤ 180 s');
  });

  it('a high-high trip without the inlet valve closing: severity 1 at 180 s, the clause failing with the time waited', () => {
    const { alerts, events } = playOnVirtualTime(site, standard, close(undefined, 'T201.level_switch_hh'), 300 * S);
    expect(late(alerts).map((a) => [a.changedAt, a.transition?.action, a.severity])).toEqual([[190 * S, 'raise', 1]]);
    expect(late(alerts)[0]!.message.en).toBe('Gasoline tank 1 esv_in: not closed 180 s after the high-high trip');
    expect(measured(events)).toEqual([expect.objectContaining({ ref: 'esv_in: not closed 180 s after (high-high)', passed: false })]);
    expect(strokeVerdicts(events).at(-1)).toMatchObject({ verdict: 'fail', since: 190 * S });
  });

  it('ketwin check lists a large tank whose shut-off valves are not declared (or not fail-closed)', () => {
    const without = (id: string, valves: Tank['attributes']['shutoffValves']): Site => ({
      ...site,
      assets: site.assets.map((a) => (a.id === id && a.kind === 'tank' ? { ...a, attributes: { ...a.attributes, shutoffValves: valves } } : a)) as Site['assets'],
    });
    const design = (s: Site, id: string) => checkLoadedSite(s, 'demo.yaml', [standard]).results.find((r) => r.clause === 'MEM2022-ESV-DESIGN' && r.subject === id)!;
    expect(design(site, 'T101').verdict).toBe('pass');
    expect(design(without('T101', undefined), 'T101').verdict).toBe('fail');
    expect(
      design(
        without('T101', [
          { id: 'esv_in', line: 'inlet', failClosed: true },
          { id: 'esv_out', line: 'outlet', failClosed: false },
        ]),
        'T101',
      ).verdict,
    ).toBe('fail');
  });
});
