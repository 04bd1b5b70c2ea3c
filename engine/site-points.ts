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
  /** hazard models reading this point (engine/hazards); empty for most points */
  readonly hazards: ((sample: Sample) => void)[];
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
  /** each point's latest sample, in the order the points had their first */
  values(): Record<string, Sample>;
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
      state.sample = sample;
      onSample(sample);
      // indexed loops: for-of over these arrays left an iterator per loop per sample to collect
      const { hazards, coalesced, evaluators } = state;
      for (let i = 0; i < hazards.length; i++) hazards[i]!(sample);
      for (let i = 0; i < coalesced.length; i++) coalesced[i]!();
      for (let i = 0; i < evaluators.length; i++) {
        const { evaluator, raw } = evaluators[i]!;
        const changed = evaluator.evaluate(at);
        if (changed) raw.next(changed);
      }
    },
    values: () => Object.fromEntries(seenOrder.map((state) => [state.point.id, state.sample!])),
  };
}
