import type { Observable } from 'rxjs';
import type { Site, SiteSnapshot, ClauseInfo, LiveEvent } from '../../model/index.ts';

/** What the UI server reads from the running engine; the composition root implements it. */
export interface LiveView {
  sites(): Site[];
  /** current score, results, alerts, latest values; undefined for an unknown site */
  snapshot(siteId: string): SiteSnapshot | undefined;
  /** clause metadata from the standard(s) the site is scored against */
  clauses(siteId: string): ClauseInfo[];
  /** results, scores, alerts and samples as they happen, for every site */
  events$: Observable<LiveEvent>;
}
