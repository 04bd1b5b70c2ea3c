import { systemClock, loadSite, type ClauseResult, type Confidence, type Site, type Verdict } from '../model/index.ts';
import { StandardError } from './standard-errors.ts';
import { evaluateStatic, staticBase } from './static-evaluator.ts';
import { readsAsset } from './clause-compiler.ts';
import type { Standard } from './standard.ts';

/** The offline compliance report of a site definition: its design and evidence clauses. */
export interface CheckReport {
  site: { id: string; name: { zh: string; en: string }; file: string };
  /** "<id>@<version>" */
  standard: string;
  /** the instant evidence records were judged at, ms since epoch */
  at: number;
  results: (ClauseResult & { title: { zh: string; en: string }; check: 'design' | 'evidence'; severity: number; source: string; confidence: Confidence })[];
  /** the live clauses (checked once the site is online), each with its source and confidence */
  live: { clause: string; appliesTo: string; title: { zh: string; en: string }; source: string; confidence: 'confirmed' | 'unconfirmed' }[];
  counts: Record<Verdict, number>;
  /** live clauses not checked offline */
  liveClauses: number;
  /** points a live clause needs on a subject it applies to that the site does not map: those verdicts stay unknown, "not monitored" */
  unmonitored: { clause: string; subject: string; point: string }[];
}

export interface CheckOptions {
  /** judge evidence records at this instant (default: now) */
  now?: number;
}

/**
 * Evaluates the design and evidence clauses of a site file against the newest loaded version of
 * the standard it names: what a depot engineer runs before commissioning. A broken site file
 * throws SiteDefinitionError (the CLI exits 2 on it); a site naming no loaded standard throws
 * StandardError.
 */
export async function checkSite(siteFile: string, standards: Standard[], options: CheckOptions = {}): Promise<CheckReport> {
  const site = await loadSite(siteFile);
  return checkLoadedSite(site, siteFile, standards, options);
}

export function checkLoadedSite(site: Site, file: string, standards: Standard[], options: CheckOptions = {}): CheckReport {
  const standard = newestFor(site, standards);
  if (!standard)
    throw new StandardError(file, [
      {
        code: 'STANDARD_REFERENCE',
        field: 'standards',
        message: `site ${site.id} names ${site.standards.join(', ')} but none is loaded (loaded: ${standards.map((s) => s.key).join(', ') || 'none'})`,
      },
    ]);
  const now = options.now ?? systemClock.now();
  const cel = standard.cel.toCel(site);
  const counts: Record<Verdict, number> = { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 };
  const results: CheckReport['results'] = [];
  for (const clause of standard.clauses) {
    if (clause.check === 'live') continue;
    const subjects = clause.appliesTo === 'site' ? [site.id] : site.assets.filter((a) => a.kind === clause.appliesTo).map((a) => a.id);
    for (const subject of subjects) {
      const { result } = evaluateStatic(clause, { siteId: site.id, standard: standard.key, cel, subject, now });
      counts[result.verdict] += 1;
      results.push({
        ...result,
        title: clause.title,
        check: clause.check,
        severity: clause.severity,
        source: `${clause.source.standard} ${clause.source.clause}`,
        confidence: clause.confidence,
      });
    }
  }
  return {
    site: { id: site.id, name: site.name, file },
    standard: standard.key,
    at: now,
    results,
    counts,
    liveClauses: standard.clauses.filter((c) => c.check === 'live').length,
    live: standard.clauses
      .filter((c) => c.check === 'live')
      .map((c) => ({ clause: c.id, appliesTo: c.appliesTo, title: c.title, source: `${c.source.standard} ${c.source.clause}`, confidence: c.confidence })),
    unmonitored: unmonitoredPoints(site, standard, cel),
  };
}

/** Each point a live clause reads on a subject it applies to that the site does not map. */
function unmonitoredPoints(site: Site, standard: Standard, cel: ReturnType<Standard['cel']['toCel']>): CheckReport['unmonitored'] {
  const mapped = new Set(site.points.map((p) => p.id));
  const out: CheckReport['unmonitored'] = [];
  for (const clause of standard.clauses) {
    if (clause.check !== 'live') continue;
    const subjects = clause.appliesTo === 'site' ? [site.id] : site.assets.filter((a) => a.kind === clause.appliesTo).map((a) => a.id);
    for (const subject of subjects) {
      if (!staticBase(clause, cel, subject).applicable) continue;
      const needed = clause.bindings.flatMap((b) =>
        b.kind
          ? site.assets.filter((a) => a.kind === b.kind && readsAsset(b, subject, cel.assets.get(a.id) as Record<string, unknown> | undefined)).map((a) => `${a.id}.${b.point}`)
          : [`${subject}.${b.point}`],
      );
      for (const point of new Set(needed)) if (!mapped.has(point)) out.push({ clause: clause.id, subject, point });
    }
  }
  return out;
}

/** The report as text for a terminal or a printer. */
export function formatCheckReport(report: CheckReport): string {
  const mark: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', unknown: '????', 'not-applicable': 'n/a ' };
  const lines = [
    `ketwin check: ${report.site.name.zh} / ${report.site.name.en} (${report.site.id})`,
    `site file:  ${report.site.file}`,
    `standard:   ${report.standard}`,
    `judged at:  ${new Date(report.at).toISOString()}`,
    '',
  ];
  for (const r of report.results) {
    if (r.verdict === 'not-applicable') continue;
    const subject = r.subject === report.site.id ? 'site' : r.subject;
    lines.push(`${mark[r.verdict]}  ${r.clause} [${r.check}] ${subject}: ${r.title.en} / ${r.title.zh} — ${r.source} (${r.confidence})`);
    if (r.verdict !== 'pass') lines.push(...explain(r).map((l) => `        ${l}`));
  }
  for (const l of report.live) lines.push(`live  ${l.clause} [live] ${l.appliesTo}: ${l.title.en} / ${l.title.zh} — ${l.source} (${l.confidence})`);
  for (const u of report.unmonitored) {
    const subject = u.subject === report.site.id ? 'site' : u.subject;
    lines.push(`WARN  not monitored: ${u.point} is not mapped; ${u.clause} on ${subject} stays unknown and counts against coverage`);
  }
  const c = report.counts;
  lines.push(
    '',
    `${c.pass} pass, ${c.fail} fail, ${c.unknown} unknown, ${c['not-applicable']} not applicable; ${report.liveClauses} live clauses are checked once the site is online.`,
  );
  return `${lines.join('\n')}\n`;
}

function explain(r: ClauseResult): string[] {
  const out: string[] = [];
  for (const e of r.evidence) out.push(`${e.point} = ${JSON.stringify(e.value)}${e.quality === 'good' ? '' : ` (${e.quality})`}`);
  for (const [k, v] of Object.entries(r.thresholds)) out.push(`${k}: ${JSON.stringify(v)}`);
  return out;
}

function newestFor(site: Site, standards: Standard[]): Standard | undefined {
  for (const id of site.standards) {
    const versions = standards.filter((s) => s.id === id);
    if (versions.length > 0)
      return versions.reduce((a, b) =>
        b.version
          .split('.')
          .map(Number)
          .reduce((d, n, i) => d || n - Number(a.version.split('.')[i]), 0) > 0
          ? b
          : a,
      );
  }
  return undefined;
}
