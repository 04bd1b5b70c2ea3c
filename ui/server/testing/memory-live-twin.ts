import { Observable, Subject } from 'rxjs';
import type { AlarmHealth, Alert, ClauseResult, LiveEvent, Site, SiteSnapshot } from '../../../model/index.ts';
import type { LiveTwin } from '../live-twin.ts';
import { quietAlarmHealth } from './alarm-health-fixture.ts';
import { demoClauses, demoResults, demoScore } from './demo-state.ts';

export interface MemoryLiveTwin extends LiveTwin {
  /** applies the event to the snapshot, then emits it */
  push(event: LiveEvent): void;
  /** completes events$ */
  complete(): void;
  /** how many subscribers events$ has now */
  observed(): number;
}

/**
 * An in-memory LiveTwin for tests and UI work: sites with a seeded state, and a Subject
 * of events that also keeps each site's snapshot current. Not the engine.
 */
export function createMemoryLiveTwin(sites: Site[], options: { now?: number; seed?: boolean } = {}): MemoryLiveTwin {
  const now = options.now ?? Date.now();
  const events$ = new Subject<LiveEvent>();
  let observers = 0;
  const counted$ = new Observable<LiveEvent>((subscriber) => {
    observers += 1;
    const subscription = events$.subscribe(subscriber);
    return () => {
      observers -= 1;
      subscription.unsubscribe();
    };
  });
  const clauses = demoClauses();
  const state = new Map<string, SiteSnapshot>();
  const health = new Map<string, AlarmHealth>(); // the latest `health` event per site
  for (const site of sites) {
    if (options.seed !== false) health.set(site.id, quietAlarmHealth(site.id, now)); // as the engine answers at start
    const results = options.seed === false ? [] : demoResults(site, now);
    state.set(site.id, {
      site: site.id,
      score: options.seed === false ? undefined : demoScore(site.id, results, clauses, now),
      results,
      alerts: [],
      values: {},
    });
  }

  const apply = (event: LiveEvent): void => {
    const snap = state.get(event.data.site);
    if (!snap) return;
    switch (event.type) {
      case 'result':
        upsertResult(snap, event.data);
        break;
      case 'score':
        snap.score = event.data;
        break;
      case 'alert':
        upsertAlert(snap, event.data);
        break;
      case 'sample':
        snap.values[event.data.point] = event.data;
        break;
      case 'health':
        health.set(event.data.site, event.data);
        break;
    }
  };

  return {
    sites: () => sites,
    snapshot: (id) => {
      const snap = state.get(id);
      return snap && structuredClone(snap);
    },
    clauses: (id) => (state.has(id) ? clauses : []),
    alarmHealth: (id) => health.get(id),
    events$: counted$,
    push(event) {
      apply(event);
      events$.next(event);
    },
    complete: () => events$.complete(),
    observed: () => observers,
  };
}

function upsertResult(snap: SiteSnapshot, result: ClauseResult): void {
  const i = snap.results.findIndex((r) => r.clause === result.clause && r.subject === result.subject);
  if (i >= 0) snap.results[i] = result;
  else snap.results.push(result);
}

function upsertAlert(snap: SiteSnapshot, alert: Alert): void {
  snap.alerts = snap.alerts.filter((a) => a.id !== alert.id);
  if (alert.state !== 'cleared') snap.alerts.push(alert);
}
