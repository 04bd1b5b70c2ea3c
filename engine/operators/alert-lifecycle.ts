import { Observable, type OperatorFunction } from 'rxjs';
import type { Alert, Bilingual, ClauseResult } from '../../model/index.ts';

/** What a clause's failure raises, from the standard, with the templates already filled. */
export interface AlertSpec {
  kind: string;
  severity: Alert['severity'];
  message: Bilingual;
  actions: Bilingual[];
}

/**
 * Turns verdict changes into alert state changes: a failure raises one active alert per
 * site/clause/subject (no duplicates while it is active); only a pass clears it, so an
 * alert stays active while its clause is `unknown`. `describe` says whether a failing
 * result raises an alert at all, and with what text.
 */
export function alertLifecycle(describe: (failing: ClauseResult) => AlertSpec | undefined): OperatorFunction<ClauseResult, Alert> {
  return (source) =>
    new Observable<Alert>((subscriber) => {
      const active = new Map<string, Alert>();
      return source.subscribe({
        next(result) {
          const key = `${result.site}\u0000${result.clause}\u0000${result.subject}`;
          const current = active.get(key);
          if (result.verdict === 'fail' && !current) {
            const spec = describe(result);
            if (!spec) return;
            const alert: Alert = {
              id: `${result.site}:${result.clause}:${result.subject}:${result.since}`,
              site: result.site,
              kind: spec.kind,
              severity: spec.severity,
              state: 'active',
              raisedAt: result.since,
              changedAt: result.since,
              subjects: [result.subject],
              message: spec.message,
              actions: spec.actions,
              clause: result.clause,
              standard: result.standard,
            };
            active.set(key, alert);
            subscriber.next(alert);
          } else if (result.verdict === 'pass' && current) {
            active.delete(key);
            subscriber.next({ ...current, state: 'cleared', changedAt: result.since });
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
