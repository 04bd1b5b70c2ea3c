import type { ClauseResult, Site } from '../model/index.ts';
import { evaluateStatic, type CompiledClause, type Standard } from '../standards/index.ts';
import { createSubjectEvaluator, notYetRead, planClause, type EvaluatorContext, type SubjectEvaluator, type SubjectRef } from './subject-evaluator.ts';

/** A design or evidence clause on one subject: evaluated from the site definition, and again when a record expires. */
export interface StaticSlot {
  clause: CompiledClause;
  subject: SubjectRef;
  result: ClauseResult;
  /** when an evidence record expires (scheduler time); none for a design fact */
  changesAt?: number;
}

/** Every clause of the standard on every subject it applies to, compiled once. */
export interface SiteClauses {
  /** live clauses, one evaluator per subject */
  evaluators: SubjectEvaluator[];
  /** design and evidence clauses, one slot per subject */
  statics: StaticSlot[];
  /** clause-and-subject keys (clauseKey) in standard, then site order: the order a snapshot lists results in */
  order: string[];
  /** the latest verdict of each clause on each subject, by clauseKey */
  current: Map<string, ClauseResult>;
  /** each clause on each subject, by clauseKey: what an alert raised by its verdict is worded from */
  named: ReadonlyMap<string, NamedClause>;
}

export type NamedClause = SubjectRef & { clause: CompiledClause };

export const clauseKey = (clause: string, subject: string) => `${clause}\u0000${subject}`;

/**
 * Compiles the standard's clauses on the site: a site clause on the site, an asset clause on every
 * asset of its kind. A live clause gets an evaluator reading the context's cells; a design or
 * evidence clause is evaluated at once from the site definition (at `context.now`).
 */
export function compileSiteClauses(site: Site, standard: Standard, context: EvaluatorContext): SiteClauses {
  const evaluators: SubjectEvaluator[] = [];
  const statics: StaticSlot[] = [];
  const order: string[] = [];
  // one subject ref per asset, shared by every clause on it, and one key string per clause and subject (in
  // `order` and `current` alike): a site holds thousands
  const siteRef: SubjectRef = { id: site.id, name: site.name };
  const ofKind = new Map<string, SubjectRef[]>();
  const assetRefs = new Map<string, SubjectRef>();
  for (const { id, name, kind } of site.assets) {
    const refs = ofKind.get(kind) ?? [];
    if (refs.length === 0) ofKind.set(kind, refs);
    const ref = { id, name };
    refs.push(ref);
    assetRefs.set(id, ref);
  }
  const evaluatorKeys: string[] = [];
  const staticKeys: string[] = [];
  const notRead = notYetRead();
  for (const clause of standard.clauses) {
    const subjects = clause.appliesTo === 'site' ? [siteRef] : (ofKind.get(clause.appliesTo) ?? []);
    const plan = clause.check === 'live' ? planClause(clause) : undefined;
    for (const subject of subjects) {
      const key = clauseKey(clause.id, subject.id);
      order.push(key);
      if (clause.check === 'live') {
        evaluators.push(createSubjectEvaluator(clause, subject, context, plan, notRead));
        evaluatorKeys.push(key);
      } else {
        const verdict = evaluateStatic(clause, { siteId: site.id, standard: standard.key, cel: context.cel, subject: subject.id, now: context.now });
        statics.push({ clause, subject, ...verdict });
        staticKeys.push(key);
      }
    }
  }
  const current = new Map<string, ClauseResult>();
  for (const [i, e] of evaluators.entries()) current.set(evaluatorKeys[i]!, e.result);
  for (const [i, s] of statics.entries()) current.set(staticKeys[i]!, s.result);
  const named = new NamedClauses(order, current, new Map(standard.clauses.map((c) => [c.id, c])), siteRef, assetRefs);
  return { evaluators, statics, order, current, named };
}

/**
 * Each clause on each subject by clauseKey, without an object held for each (a site has thousands): read
 * from the key, the standard's clauses by id and the subject refs when asked, which is when a verdict
 * may raise or clear an alert.
 */
class NamedClauses implements ReadonlyMap<string, NamedClause> {
  constructor(
    private readonly order: readonly string[],
    private readonly current: ReadonlyMap<string, unknown>,
    private readonly clauses: ReadonlyMap<string, CompiledClause>,
    private readonly site: SubjectRef,
    private readonly assets: ReadonlyMap<string, SubjectRef>,
  ) {}
  get size() {
    return this.current.size;
  }
  has(key: string): boolean {
    return this.current.has(key);
  }
  get(key: string): NamedClause | undefined {
    if (!this.current.has(key)) return undefined;
    const cut = key.indexOf('\u0000');
    const clause = this.clauses.get(key.slice(0, cut));
    const subject = clause?.appliesTo === 'site' ? this.site : this.assets.get(key.slice(cut + 1));
    return clause && subject ? { ...subject, clause } : undefined;
  }
  keys() {
    return this.order.values();
  }
  values() {
    return this.order.map((key) => this.get(key)!).values();
  }
  entries() {
    return this.order.map((key): [string, NamedClause] => [key, this.get(key)!]).values();
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  forEach(each: (value: NamedClause, key: string, map: ReadonlyMap<string, NamedClause>) => void): void {
    for (const key of this.order) each(this.get(key)!, key, this);
  }
}
