import type { ClauseInfo } from '../model/index.ts';
import type { Standard } from './standard.ts';

/** What the UI shows of each clause, in the standard's order. */
export function clauseInfo(standard: Standard): ClauseInfo[] {
  return standard.clauses.map((c) => ({
    id: c.id,
    title: c.title,
    requirement: c.requirement,
    source: c.source,
    confidence: c.confidence,
    category: c.category,
    severity: c.severity,
    weight: c.weight,
    appliesTo: c.appliesTo,
    check: c.check,
    standard: standard.key,
  }));
}
