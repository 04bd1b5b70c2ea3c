import { z } from 'zod';
import type { ClauseResult, Sample, Site, Verdict } from '../../../model/index.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, siteParams, ms } from '../api/schemas.ts';
import { ClientError } from '../errors.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { Rescore, RescoreClause, Rescorer } from '../rescore-types.ts';
import { rescoreReason } from '../rescore-reason.ts';
import { resultsAsOf } from '../../../engine/index.ts';
import { findSite, subjectVerdicts } from '../site-views.ts';
import type { AuditSink, TelemetryHistory, VerdictHistory } from '../ports.ts';
import { noHistory } from './as-of.ts';

const DAY = 86_400_000;
/** longest period one request replays; a longer audit is re-scored a month at a time */
export const MAX_RESCORE_PERIOD_MS = 31 * DAY;
/** most readings one request replays unless the Rescorer says otherwise (about a second of engine time) */
export const MAX_RESCORE_SAMPLES = 2_000_000;

export const rescoreQuery = z
  .strictObject({
    from: ms('from'),
    to: ms('to'),
    standard: z.string({ error: 'expected standard as "<standard id>@<version>"' }).regex(/^[a-z][a-z0-9-]*@\d+\.\d+\.\d+$/, 'must be "<standard id>@<version>"'),
  })
  .refine((q) => q.to > q.from, { message: 'must be after from', path: ['to'] })
  .refine((q) => q.to - q.from <= MAX_RESCORE_PERIOD_MS, { message: `the period must be at most ${MAX_RESCORE_PERIOD_MS / DAY} days`, path: ['to'] });

const rescoreAnswer = z
  .object({
    site: z.string(),
    from: z.number(),
    to: z.number(),
    standard: z.string(),
    samples: z.number(),
    replayedFrom: z.number(),
    recorded: z.object({ score: z.object({}).loose().nullable(), standards: z.array(z.string()) }),
    rescored: z.object({ score: z.object({}).loose().nullable(), lowest: z.object({}).loose().nullable() }),
    clauses: z.array(
      z
        .object({
          clause: z.string(),
          subject: z.string(),
          changed: z.boolean(),
          reason: z
            .object({ from: z.string(), to: z.string(), change: z.enum(['added', 'removed', 'changed', 'unchanged']) })
            .loose()
            .optional(),
        })
        .loose(),
    ),
  })
  .describe('Rescore');

export interface RescoreRouteOptions {
  live: LiveTwin;
  telemetry: TelemetryHistory | undefined;
  verdicts: VerdictHistory | undefined;
  rescore: Rescorer | undefined;
  audit: AuditSink;
}

/**
 * The stored readings of every point of the site, merged in time order (ties keep the site's point order).
 * Point by point, so that a period with too many readings is refused before they all sit in memory.
 */
async function storedSamples(telemetry: TelemetryHistory, site: Site, from: number, to: number, max: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const { id: point } of site.points) {
    for (const r of await telemetry.series(site.id, point, from, to)) {
      // a reading stored without a value is missing data: the engine judges it unknown
      samples.push(
        r.value === null
          ? { site: site.id, point, ts: r.ts, value: Number.NaN, quality: 'bad', reason: r.reason ?? 'no value stored' }
          : { site: site.id, point, ts: r.ts, value: r.value, quality: r.quality, ...(r.reason ? { reason: r.reason } : {}) },
      );
    }
    if (samples.length > max) {
      throw new ClientError(400, 'bad-request', `more than ${max} readings in this period: re-score a shorter one`);
    }
  }
  // stable: readings of one instant stay in the site's point order
  return samples.sort((a, b) => a.ts - b.ts);
}

const key = (r: Pick<ClauseResult, 'clause' | 'subject'>) => `${r.clause}\u0000${r.subject}`;

/**
 * GET /api/sites/:id/rescore?from=&to=&standard= — replays the stored readings of a period through the
 * engine (engine/replay.ts, virtual time) under the chosen standard version, and sets the verdicts and
 * score it gives at the end of the period beside those recorded then. Readings from one staleness
 * period before `from` are replayed too, so that points reporting rarely have a value at `from`.
 */
export function rescoreRoutes(api: RouteTable, options: RescoreRouteOptions): void {
  const { live } = options;
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/rescore',
      tags: ['audit'],
      params: siteParams,
      query: rescoreQuery,
      access: { kind: 'permission', permission: 'audit', site: (i) => i.params.id },
      siteExists: (id) => findSite(live, id) !== undefined,
      summary:
        'Re-scores a period (at most 31 days) under a loaded version of a standard the site declares by replaying its stored readings, and compares verdicts and score with what was recorded; recorded in the audit log as history.rescore',
      responses: {
        200: { description: 'recorded and re-scored verdicts at the end of the period, clause by clause', schema: rescoreAnswer },
        400: { description: 'a malformed query, a standard version that is not loaded or not of a standard the site declares, or too many readings', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'not an auditor, admin or manager of this site', schema: errorSchema },
        404: { description: 'no such site, or this server keeps no history', schema: errorSchema },
      },
    },
    async ({ ctx, params, query, user }) => {
      const { telemetry, verdicts, rescore } = options;
      if (!telemetry || !verdicts || !rescore) throw noHistory();
      if (!rescore.standards.includes(query.standard)) {
        throw new ClientError(400, 'bad-request', `query.standard: ${query.standard} is not loaded (loaded: ${rescore.standards.join(', ') || 'none'})`);
      }
      const site = findSite(live, params.id)!;
      // another version of a standard the site is scored by, never a standard made for other sites
      const standardId = query.standard.slice(0, query.standard.indexOf('@'));
      if (!site.standards.includes(standardId)) {
        throw new ClientError(400, 'bad-request', `query.standard: ${site.id} is not scored by ${standardId} (it declares ${site.standards.join(', ')})`);
      }
      const warmUp = Math.max(0, ...site.points.map((p) => p.staleAfterMs));
      const start = Math.max(0, query.from - warmUp);
      const [samples, recorded] = await Promise.all([
        storedSamples(telemetry, site, start, query.to, rescore.maxSamples ?? MAX_RESCORE_SAMPLES),
        verdicts.stateAsOf(site.id, query.to),
      ]);
      const replayed = rescore.replay({ samples, site, standard: query.standard, from: start, until: query.to });
      const inPeriod = replayed.scores.filter((s) => s.ts >= query.from && s.ts <= query.to);
      const answer: Rescore = {
        site: site.id,
        from: query.from,
        to: query.to,
        standard: query.standard,
        samples: samples.length,
        replayedFrom: start,
        recorded: { score: recorded.score ?? null, standards: recorded.standards },
        rescored: {
          score: replayed.snapshot.score ?? null,
          lowest: inPeriod.reduce<(typeof inPeriod)[number] | null>((low, s) => (low === null || s.score < low.score ? s : low), null),
        },
        // the replay's record read as the live record is read: a clause that never had a result has none
        clauses: compareClauses(site, live, recorded.results, resultsAsOf(replayed.results, query.to), (clause, from) =>
          rescoreReason(clause, from, query.standard, rescore.changelog?.(from, query.standard), rescore.hazardChanges?.(from, query.standard)),
        ),
      };
      options.audit({
        actor: user!.name,
        action: 'history.rescore',
        subject: site.id,
        site: site.id,
        details: {
          from: query.from,
          to: query.to,
          standard: query.standard,
          samples: samples.length,
          recordedScore: answer.recorded.score?.score ?? null,
          rescoredScore: answer.rescored.score?.score ?? null,
          changed: answer.clauses.filter((c) => c.changed).length,
        },
      });
      ctx.body = answer;
    },
  );
}

/** Every (clause, subject) either side has: differences first (each with its reason), then in clause order. */
function compareClauses(
  site: Site,
  live: LiveTwin,
  recorded: readonly ClauseResult[],
  rescored: readonly ClauseResult[],
  reasonOf: (clause: string, recordedUnder: string) => RescoreClause['reason'],
): RescoreClause[] {
  const titles = new Map(live.clauses(site.id).map((c) => [c.id, c.title]));
  const toView = subjectVerdicts(site);
  const then = new Map(recorded.map((r) => [key(r), r]));
  const now = new Map(rescored.map((r) => [key(r), r]));
  const keys = [...new Set([...then.keys(), ...now.keys()])];
  const recordedUnder = recorded[0]?.standard ?? rescored[0]?.standard ?? '';
  const rows = keys.map((k): RescoreClause => {
    const a = then.get(k);
    const b = now.get(k);
    const any = (a ?? b)!;
    const view = toView(any);
    const verdict = (r: ClauseResult | undefined): Verdict | undefined => r?.verdict;
    const changed = verdict(a) !== verdict(b);
    const reason = changed ? reasonOf(any.clause, a?.standard ?? recordedUnder) : undefined;
    return {
      clause: any.clause,
      title: titles.get(any.clause) ?? { zh: any.clause, en: any.clause },
      subject: any.subject,
      subjectName: view.subjectName,
      recorded: a ? { verdict: a.verdict, since: a.since, standard: a.standard } : null,
      rescored: b ? { verdict: b.verdict, since: b.since, standard: b.standard, evidence: toView(b).evidence, thresholds: b.thresholds } : null,
      changed,
      // a clause the record does not have was recorded under the version of the record's other clauses
      ...(reason ? { reason } : {}),
    };
  });
  // a verdict that turned first, then clauses only one version has, then the unchanged
  const rank = (r: RescoreClause) => (!r.changed ? 2 : r.recorded && r.rescored ? 0 : 1);
  return rows.sort((x, y) => rank(x) - rank(y) || x.clause.localeCompare(y.clause) || x.subject.localeCompare(y.subject));
}
