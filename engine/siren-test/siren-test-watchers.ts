import type { Sample } from '../../model/index.ts';
import type { CompiledClause, Standard } from '../../standards/index.ts';
import { EngineError } from '../engine-errors.ts';
import type { HazardContext, HazardWatcher } from '../hazards/hazard-model.ts';
import { judgeSirenTest, type SirenPattern, type SirenSignal, type SoundingSpan } from './siren-pattern.ts';
import { nextTestWindow, parseTestDay, parseTestHours, type TestDay, type TestWindow } from './test-window.ts';

/** The evidence kind a siren test is recorded under (the standards' siren-test clauses read it). */
export const SIREN_TEST_KIND = 'siren-test';
/** the status point of a siren: true while it sounds */
const SOUNDING = 'sounding';
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The standard's siren-test clause that carries the test pattern, and the pattern; none when no clause of the kind has one. */
export function sirenTestClause(standard: Pick<Standard, 'clauses'>): { clause: CompiledClause; pattern: SirenPattern; day: TestDay } | undefined {
  const clause = standard.clauses.find((c) => c.evidence?.kind === SIREN_TEST_KIND && c.params['preAlert'] !== undefined);
  if (!clause) return undefined;
  const where = (name: string) => `clause ${clause.id}: params.${name}`;
  const table = (name: string) => {
    const value = clause.params[name]?.value;
    if (typeof value !== 'object' || Array.isArray(value)) throw new EngineError('ENGINE_HAZARD_PARAM', `${where(name)} must be a table`);
    return value;
  };
  const signal = (name: string, pause: boolean): SirenSignal => {
    const t = table(name);
    const n = (key: string) => {
      const v = t[key];
      if (typeof v !== 'number' || !(v >= 0)) throw new EngineError('ENGINE_HAZARD_PARAM', `${where(name)}.${key} must be a number of seconds or cycles`);
      return v;
    };
    return { onS: n('onS'), offS: pause ? n('offS') : 0, cycles: n('cycles') };
  };
  const tolerance = clause.params['toleranceS']?.value;
  if (typeof tolerance !== 'number' || !(tolerance >= 0)) throw new EngineError('ENGINE_HAZARD_PARAM', `${where('toleranceS')} must be a number of seconds`);
  const date = table('testDate');
  const day = parseTestDay(`${String(date['month']).padStart(2, '0')}-${String(date['day']).padStart(2, '0')}`, where('testDate'));
  return { clause, pattern: { preAlert: signal('preAlert', true), airRaid: signal('airRaid', true), allClear: signal('allClear', false), toleranceS: tolerance }, day };
}

/**
 * Siren test watching (issue 24): every siren of the site whose asset declares its test window
 * (`testWindow: "HH:MM-HH:MM"`, the site's time zone; `testDay: "MM-DD"` where the district tests on
 * another day than the standard's) has its `sounding` status watched through the window. When the window
 * closes the soundings are judged against the standard's pattern (siren-pattern.ts) and filed as a
 * `siren-test` record of the siren — passed, off-pattern (what was wrong), silent, or unobserved — on
 * which the standard's siren-test clause passes or fails at once. On the scheduler's time: a replay
 * files the same records.
 */
export function createSirenTestWatchers(context: HazardContext): HazardWatcher[] {
  const found = sirenTestClause(context.standard);
  if (!found) return [];
  const { site } = context;
  const watchers: HazardWatcher[] = [];
  for (const siren of site.assets.filter((a) => a.kind === 'siren')) {
    const attributes = siren.attributes as Record<string, unknown>;
    if (attributes['testWindow'] === undefined) continue;
    const place = (name: string) => `site ${site.id}: asset ${siren.id}: attributes.${name}`;
    const hours = parseTestHours(attributes['testWindow'], place('testWindow'));
    const day = attributes['testDay'] === undefined ? found.day : parseTestDay(attributes['testDay'], place('testDay'));
    const point = site.points.find((p) => p.asset === siren.id && p.name === SOUNDING);
    if (!point) throw new EngineError('ENGINE_HAZARD_PARAM', `site ${site.id}: siren ${siren.id} declares a testWindow but maps no ${SOUNDING} point to watch`);

    // the status as last read: sounding or not, and whether that reading is good
    let sounding = false;
    let good = false;
    let open: { spans: SoundingSpan[]; from?: number; blindMs: number; blindFrom?: number } | undefined;

    const wake = (at: number, work: () => void) => {
      const step = () => (context.now() < at ? context.schedule(step, Math.min(MAX_TIMER_MS, at - context.now())) : work());
      context.schedule(step, Math.min(MAX_TIMER_MS, Math.max(0, at - context.now())));
    };
    const arm = () => {
      const w = nextTestWindow(context.now(), day, hours, site.timeZone);
      wake(w.start, () => begin(w));
    };
    const begin = (w: TestWindow) => {
      const at = Math.max(w.start, context.now());
      open = { spans: [], blindMs: at - w.start, ...(good ? {} : { blindFrom: at }), ...(good && sounding ? { from: at } : {}) };
      wake(w.end, () => finish(w));
    };
    const finish = (w: TestWindow) => {
      const o = open!;
      open = undefined;
      const at = w.end;
      if (o.from !== undefined) o.spans.push({ from: o.from, to: at });
      if (o.blindFrom !== undefined) o.blindMs += at - o.blindFrom;
      const judged = judgeSirenTest(o.spans, w, o.blindMs, found.pattern);
      context.record({
        kind: SIREN_TEST_KIND,
        subject: siren.id,
        date: w.date,
        by: 'ketwin (measured)',
        // the window watched; what happened is in the figures and the notes
        ref: `${new Date(w.start).toISOString()}/${new Date(w.end).toISOString()}`,
        passed: judged.outcome === 'passed',
        values: {
          preAlertCycles: judged.preAlertCycles,
          airRaidCycles: judged.airRaidCycles,
          allClearMinutes: Math.round(judged.allClearSeconds / 6) / 10,
          soundedSeconds: judged.soundedSeconds,
          blindSeconds: judged.blindSeconds,
        },
        notes: `${judged.outcome}${judged.problems.length ? `: ${judged.problems.map((p) => p.zh).join('；')} | ${judged.problems.map((p) => p.en).join('; ')}` : ''}`,
      });
      arm();
    };

    const onSample = (sample: Sample, instant?: number) => {
      const at = instant ?? context.now();
      const nowGood = sample.quality === 'good' && typeof sample.value === 'boolean';
      const nowSounding = nowGood ? (sample.value as boolean) : sounding;
      if (open) {
        if (open.from !== undefined && (!nowGood || !nowSounding)) {
          open.spans.push({ from: open.from, to: at });
          delete open.from;
        }
        if (nowGood && open.blindFrom !== undefined) {
          open.blindMs += at - open.blindFrom;
          delete open.blindFrom;
        }
        if (!nowGood && open.blindFrom === undefined) open.blindFrom = at;
        if (nowGood && nowSounding && open.from === undefined) open.from = at;
      }
      good = nowGood;
      sounding = nowSounding;
    };
    arm();
    watchers.push({ points: [point.id], onSample });
  }
  return watchers;
}
