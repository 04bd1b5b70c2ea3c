import type { Observable } from 'rxjs';
import type { AlarmHealth, Site, SiteSnapshot, ClauseInfo, LiveEvent } from '../../model/index.ts';
import type { Standard } from '../../standards/index.ts';
import type { EdgeStatus } from './edge-types.ts';

/** What the UI server reads from the running engine; the composition root implements it. */
export interface LiveTwin {
  sites(): Site[];
  /** current score, results, alerts, latest values; undefined for an unknown site */
  snapshot(siteId: string): SiteSnapshot | undefined;
  /** clause metadata from the standard(s) the site is scored against */
  clauses(siteId: string): ClauseInfo[];
  /** results, scores, alerts and samples as they happen, for every site */
  events$: Observable<LiveEvent>;
  /** the site's alarm-system health now (the engine's health); without it GET /api/sites/:id/alarm-health answers 404 */
  alarmHealth?(siteId: string): AlarmHealth | undefined;
  /** the loaded standard the site is scored against (its safety-critical severities, hazard params); the daily commitment reads it */
  standard?(siteId: string): Standard | undefined;
  /** the edge that reads the site's devices at the depot (`ketwin central`); undefined where this process reads them itself */
  edge?(siteId: string): EdgeStatus | undefined;
}
