import { ONLINE_RATE_KIND, type Alert, type Bilingual, type ClauseInfo, type ClauseResult, type Site, type SiteSnapshot } from '../../model/index.ts';
import type { LiveTwin } from './live-twin.ts';
import type { ClauseView, EvidenceView, OnlineRateView, SiteDetail, SiteEdgeView, SiteSummary, SubjectVerdict } from './api-types.ts';
import type { EdgeStatus } from './edge-types.ts';

/** Alerts that still ask for attention: neither cleared nor shelved. */
export function isOpenAlert(alert: Alert): boolean {
  return alert.state === 'active' || alert.state === 'acknowledged';
}

export function siteSummary(site: Site, snapshot: SiteSnapshot | undefined): SiteSummary {
  const score = snapshot?.score;
  return {
    id: site.id,
    name: site.name,
    location: site.location,
    score: score?.score ?? null,
    grade: score?.grade ?? null,
    risk: score?.risk ?? null,
    riskReason: score?.riskReason ?? null,
    complianceRisk: score?.complianceRisk ?? null,
    coverage: score?.coverage ?? null,
    counts: score?.counts ?? null,
    activeAlerts: (snapshot?.alerts ?? []).filter(isOpenAlert).length,
    standard: score?.standard ?? null,
    onlineRate: onlineRateOf(snapshot),
  };
}

/** The online rate a clause judged from the twin's newest data-quality-day record; null while none is measured. */
export function onlineRateOf(snapshot: SiteSnapshot | undefined): OnlineRateView | null {
  for (const r of snapshot?.results ?? []) {
    const record = r.evidence.find((e) => e.point === `record:${ONLINE_RATE_KIND}`);
    const value = record?.value as { date?: unknown; values?: { onlineRate?: unknown; observedHours?: unknown } } | null | undefined;
    if (!value || typeof value.values?.onlineRate !== 'number' || typeof value.date !== 'string') continue;
    return {
      rate: value.values.onlineRate,
      date: value.date,
      clause: r.clause,
      verdict: r.verdict,
      observedHours: typeof value.values.observedHours === 'number' ? value.values.observedHours : null,
    };
  }
  return null;
}

export function listSites(live: LiveTwin): SiteSummary[] {
  return live.sites().map((site) => {
    const summary = siteSummary(site, live.snapshot(site.id));
    const edge = live.edge?.(site.id);
    if (edge) summary.edge = edgeView(edge);
    return summary;
  });
}

/** what the site list says of a site's edge: a silent edge's backlog is its last word, flagged by `silent` */
export function edgeView(edge: EdgeStatus): SiteEdgeView {
  return {
    silent: edge.silent,
    ...(edge.heardAt !== undefined ? { heardAt: edge.heardAt } : {}),
    ...(edge.link ? { link: edge.link } : {}),
    ...(edge.backlog ? { backlog: edge.backlog } : {}),
  };
}

export function findSite(live: LiveTwin, id: string): Site | undefined {
  return live.sites().find((site) => site.id === id);
}

export function siteDetail(live: LiveTwin, site: Site): SiteDetail {
  const snapshot = live.snapshot(site.id);
  return {
    site: {
      id: site.id,
      name: site.name,
      location: site.location,
      timeZone: site.timeZone,
      plan: site.plan,
      standards: site.standards,
      assets: site.assets.map((a) => ({ id: a.id, kind: a.kind, name: a.name, position: a.position, attributes: a.attributes })),
      points: site.points.map((p) => ({ id: p.id, asset: p.asset, name: p.name, unit: p.unit })),
    },
    score: snapshot?.score ?? null,
    clauses: clauseViews(site, live.clauses(site.id), snapshot?.results ?? []),
    alerts: snapshot?.alerts ?? [],
    values: snapshot?.values ?? {},
  };
}

/** Turns results of a site into verdicts with the subject's name (an asset, or the site) and each reading's unit. */
export function subjectVerdicts(site: Site): (r: ClauseResult) => SubjectVerdict {
  const names = new Map<string, Bilingual>(site.assets.map((a) => [a.id, a.name]));
  names.set(site.id, site.name);
  const units = new Map(site.points.map((p) => [p.id, p.unit]));
  return (r) => ({
    subject: r.subject,
    subjectName: names.get(r.subject) ?? { zh: r.subject, en: r.subject },
    verdict: r.verdict,
    since: r.since,
    evidence: r.evidence.map((e): EvidenceView => ({ ...e, unit: units.get(e.point) ?? null })),
    thresholds: r.thresholds,
    standard: r.standard,
    ...(r.reason ? { reason: r.reason } : {}),
  });
}

/** Each clause of the standard with the verdicts of its subjects; results of clauses the standard no longer has show under their bare id. */
export function clauseViews(site: Site, infos: ClauseInfo[], results: readonly ClauseResult[]): ClauseView[] {
  const toView = subjectVerdicts(site);
  const byClause = new Map<string, ClauseResult[]>();
  for (const result of results) {
    const list = byClause.get(result.clause) ?? [];
    list.push(result);
    byClause.set(result.clause, list);
  }
  const known = new Set(infos.map((c) => c.id));
  const orphans = [...byClause.keys()].filter((id) => !known.has(id)).map((id) => bareClause(id, byClause.get(id)?.[0]?.standard ?? ''));
  return [...infos, ...orphans].map((info) => ({
    ...info,
    subjects: (byClause.get(info.id) ?? []).map(toView).sort((a, b) => a.subject.localeCompare(b.subject)),
  }));
}

function bareClause(id: string, standard: string): ClauseInfo {
  return {
    id,
    title: { zh: id, en: id },
    requirement: { zh: '', en: '' },
    source: { standard: '', clause: '' },
    confidence: 'unconfirmed',
    category: '',
    severity: 4,
    weight: 0,
    appliesTo: '',
    check: 'live',
    standard,
  };
}
