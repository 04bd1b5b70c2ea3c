import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import type { Alert, ClauseResult, LiveRisk, Site, SiteScore } from '../model/index.ts';
import type { Standard } from '../standards/index.ts';
import { liveRisk } from './live-risk.ts';
import { siteScore } from './operators/site-score.ts';
import { siteClock } from './site-clock.ts';

export interface ScorePublicationOptions {
  site: Site;
  standard: Standard;
  scheduler: SchedulerLike;
  /** every verdict change of the site, after its delays */
  results: Observable<ClauseResult>;
  /** the verdicts the site starts from */
  initial: readonly ClauseResult[];
  /** the site's open alerts now: the same list until one of them changes (the live risk is worked out again only then) */
  openAlerts: () => readonly Alert[];
  /** sources serving a point that a critical clause or a hazard model reads: losing one raises the live risk (filled by the owner) */
  criticalSources: ReadonlySet<string>;
  emit: (score: SiteScore) => void;
}

/** The site's score as it is shown: the compliance score (engine/score.ts) with the site's live risk beside it. */
export interface ScorePublication {
  /** the live risk now, from the latest compliance score and the open alerts; undefined before the first score */
  riskNow(): LiveRisk | undefined;
  /** brings the shown score up to date with the live risk (an alert changed); emits it only when the risk or its reason changed */
  show(at: number): void;
  /** the score shown now */
  current(): SiteScore | undefined;
  dispose(): void;
}

/**
 * Publishes the site's score: each compliance score the verdicts make (operators/site-score.ts)
 * goes out with the live risk (live-risk.ts) of that moment; a change of the open alerts alone
 * publishes the score again only when it changes the risk or its reason.
 */
export function createScorePublication(options: ScorePublicationOptions): ScorePublication {
  const { site, standard, scheduler, criticalSources } = options;
  let compliance: SiteScore | undefined;
  let shown: SiteScore | undefined;
  // the live risk of a compliance score and a list of open alerts: asked for again by each alert a change publishes and by the score shown
  let last: { compliance: SiteScore; alerts: readonly Alert[]; critical: number; live: LiveRisk } | undefined;
  const riskNow = () => {
    if (!compliance) return undefined;
    const alerts = options.openAlerts();
    if (last?.compliance === compliance && last.alerts === alerts && last.critical === criticalSources.size) return last.live;
    last = { compliance, alerts, critical: criticalSources.size, live: liveRisk(compliance, alerts, standard, criticalSources) };
    return last.live;
  };
  const subscription: Subscription = options.results
    .pipe(
      siteScore({
        site: site.id,
        rules: { ...standard.grading, holdSeverities: standard.liveRisk.criticalSeverities, standard: standard.key, formatTime: siteClock(site.timeZone) },
        clauses: new Map(standard.clauses.map((c) => [c.id, c])),
        initial: options.initial,
        scheduler,
        onInitial: (initial) => (compliance = shown = initial),
      }),
    )
    .subscribe((next) => {
      compliance = next;
      const live = riskNow()!;
      shown = { ...next, risk: live.risk, riskReason: live.reason };
      options.emit(shown);
    });
  return {
    riskNow,
    show(at) {
      const live = riskNow();
      if (!compliance || !live || !shown || (shown.risk === live.risk && shown.riskReason.en === live.reason.en)) return;
      shown = { ...compliance, risk: live.risk, riskReason: live.reason, ts: Math.max(at, compliance.ts) };
      options.emit(shown);
    },
    current: () => shown,
    dispose: () => subscription.unsubscribe(),
  };
}
