import type { Alert, ClauseResult, Sample, SiteDetail, SiteScore, SubjectVerdict } from './api.ts';

export type StreamEvent = { type: 'result'; data: ClauseResult } | { type: 'score'; data: SiteScore } | { type: 'alert'; data: Alert } | { type: 'sample'; data: Sample };

/** Folds one live event into the site detail in place. */
export function applyEvent(detail: SiteDetail, event: StreamEvent): void {
  switch (event.type) {
    case 'score':
      detail.score = event.data;
      return;
    case 'sample':
      detail.values[event.data.point] = event.data;
      return;
    case 'alert': {
      const i = detail.alerts.findIndex((a) => a.id === event.data.id);
      if (event.data.state === 'cleared') {
        if (i >= 0) detail.alerts.splice(i, 1);
      } else if (i >= 0) detail.alerts[i] = event.data;
      else detail.alerts.push(event.data);
      return;
    }
    case 'result':
      applyResult(detail, event.data);
      return;
  }
}

function applyResult(detail: SiteDetail, r: ClauseResult): void {
  const clause = detail.clauses.find((c) => c.id === r.clause);
  if (!clause) return;
  const units = new Map(detail.site.points.map((p) => [p.id, p.unit]));
  const name = detail.site.assets.find((a) => a.id === r.subject)?.name ?? (r.subject === detail.site.id ? detail.site.name : { zh: r.subject, en: r.subject });
  const next: SubjectVerdict = {
    subject: r.subject,
    subjectName: name,
    verdict: r.verdict,
    since: r.since,
    evidence: r.evidence.map((e) => ({ ...e, unit: units.get(e.point) ?? null })),
    thresholds: r.thresholds,
    standard: r.standard,
  };
  const i = clause.subjects.findIndex((s) => s.subject === r.subject);
  if (i >= 0) clause.subjects[i] = next;
  else {
    clause.subjects.push(next);
    clause.subjects.sort((a, b) => a.subject.localeCompare(b.subject));
  }
}
