import type { ClauseResult, Point, Sample, Site } from '../model/index.ts';
import { sourceOnlinePoints } from './comms-loss.ts';
import type { SourceLink } from './link-watch.ts';
import type { PointCell, SubjectEvaluator } from './subject-evaluator.ts';

/** One point of the twin: its latest sample (the cell the clauses on it read) and what reads it. */
export interface PointState extends PointCell {
  readonly point: Point;
  /** the feed of the point's source */
  readonly link: SourceLink;
  /** clauses on one subject reading this point, each with where its verdict changes go */
  readonly evaluators: { evaluator: SubjectEvaluator; raw: { next(result: ClauseResult): void } }[];
  /** site-wide clauses reading this point: marked dirty, evaluated once per scheduler tick */
  readonly coalesced: (() => void)[];
  /** hazard models reading this point (engine/hazards) and, for a safety point, the online-rate count; empty for most points */
  readonly hazards: ((sample: Sample, at: number) => void)[];
  /**
   * Why the engine doubts this point's good readings (a gauge that does not move while product
   * flows): while set, the cell holds them as uncertain with this reason; hazard models still get
   * the readings as they came.
   */
  suspect?: string;
}

/** The points of one site: its own and each source's `<source>.online`. */
export interface SitePoints {
  readonly cells: ReadonlyMap<string, PointState>;
  /** the cells of a source's points, in site order, then its `<source>.online` */
  ofSource(source: string): readonly PointState[];
  /**
   * Puts `sample` in its point's cell and hands it to the point's readers: hazard models first (an
   * incident forecast comes before the clause alarms of the same reading), then site-wide clauses,
   * then the clauses on one subject, evaluated at `at`. The per-sample path: no allocation of its own.
   */
  accept(state: PointState, sample: Sample, at: number): void;
  /** starts (`reason`) or ends (undefined) doubting a point; its clauses re-read the cell at once */
  suspect(state: PointState, reason: string | undefined, at: number): void;
  /** each point's latest sample, in the order the points had their first */
  values(): Record<string, Sample>;
}

const doubted = (sample: Sample, reason: string): Sample => ({ site: sample.site, point: sample.point, value: sample.value, quality: 'uncertain', ts: sample.ts, reason });

/** The site-wide clauses and the clauses on one subject that read the point re-read its cell. */
function readers(state: PointState, at: number): void {
  const { coalesced, evaluators } = state;
  for (let i = 0; i < coalesced.length; i++) coalesced[i]!();
  for (let i = 0; i < evaluators.length; i++) {
    const { evaluator, raw } = evaluators[i]!;
    const changed = evaluator.evaluate(at);
    if (changed) raw.next(changed);
  }
}

export function createSitePoints(site: Site, links: ReadonlyMap<string, SourceLink>, onSample: (sample: Sample) => void): SitePoints {
  const cells = new Map<string, PointState>();
  const bySource = new Map<string, PointState[]>();
  for (const point of [...site.points, ...sourceOnlinePoints(site)]) {
    const state: PointState = { point, link: links.get(point.source)!, sample: undefined, evaluators: [], coalesced: [], hazards: [] };
    cells.set(point.id, state);
    const ofSource = bySource.get(point.source);
    if (ofSource) ofSource.push(state);
    else bySource.set(point.source, [state]);
  }
  // the points with a sample, in the order they had their first
  const seenOrder: PointState[] = [];

  return {
    cells,
    ofSource: (source) => bySource.get(source) ?? [],
    accept(state, sample, at) {
      if (state.sample === undefined) seenOrder.push(state);
      const held = state.suspect !== undefined && sample.quality === 'good' ? doubted(sample, state.suspect) : sample;
      state.sample = held;
      onSample(held);
      // indexed loops: for-of over these arrays left an iterator per loop per sample to collect
      const { hazards } = state;
      for (let i = 0; i < hazards.length; i++) hazards[i]!(sample, at);
      readers(state, at);
    },
    suspect(state, reason, at) {
      const before = state.suspect;
      if (before === reason) return;
      state.suspect = reason;
      const sample = state.sample;
      if (!sample) return;
      if (reason !== undefined && (sample.quality === 'good' || (sample.quality === 'uncertain' && sample.reason === before))) state.sample = doubted(sample, reason);
      else if (reason === undefined && sample.quality === 'uncertain' && sample.reason === before)
        state.sample = { site: sample.site, point: sample.point, value: sample.value, quality: 'good', ts: sample.ts };
      else return;
      onSample(state.sample);
      readers(state, at);
    },
    values: () => Object.fromEntries(seenOrder.map((state) => [state.point.id, state.sample!])),
  };
}
