// Mistakes only 1.0.0's kinds of clause can make: design, evidence and site-wide clauses,
// delays, deadbands, computed values. Each is refused at load, naming file, clause, field and why.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { StandardError, parseStandard, type StandardIssue } from './index.ts';

const TEXT = readFileSync(new URL('./oil-depot-above-ground/1.0.0.yaml', import.meta.url), 'utf8');
type Clause = Record<string, unknown>;

/** The 1.0.0 standard with one clause changed; returns the single issue it is refused with. */
function refuse(id: string, change: (clause: Clause) => void): StandardIssue & { index: number } {
  const doc = parse(TEXT) as { clauses: Clause[] };
  const index = doc.clauses.findIndex((c) => c['id'] === id);
  change(doc.clauses[index]!);
  try {
    parseStandard(stringify(doc), 'v1-bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(StandardError);
    const issues = (error as StandardError).issues;
    expect(issues, JSON.stringify(issues)).toHaveLength(1);
    expect((error as StandardError).message).toContain('v1-bad.yaml');
    expect(issues[0]!.clause).toBe(id);
    return { ...issues[0]!, index };
  }
  throw new Error('the standard was accepted');
}

describe('1.0.0 loads, and its new kinds of mistake are refused', () => {
  it('loads every clause, type-checked', () => {
    const standard = parseStandard(TEXT, '1.0.0.yaml');
    expect(standard.clauses.length).toBeGreaterThanOrEqual(40);
    expect(new Set(standard.clauses.map((c) => c.check))).toEqual(new Set(['live', 'design', 'evidence']));
  });

  it('a design expression naming a site field the model does not have, with its position', () => {
    const i = refuse('ORDER40-13-RETENTION', (c) => (c['expression'] = 'site.monitoring.retentionDayz >= params.minDays'));
    expect(i).toMatchObject({ code: 'STANDARD_EXPRESSION', field: `clauses[${i.index}].expression` });
    expect(i.message).toMatch(/No such key: retentionDayz at position \d+/);
    expect(i.line).toBeGreaterThan(1);
  });

  it('a site clause reading a point of an unknown asset kind', () => {
    const i = refuse('GB18218-2018-GRADE', (c) => (c['reads'] = ['tankk.level']));
    expect(i).toMatchObject({ code: 'STANDARD_REFERENCE', field: `clauses[${i.index}].reads[0]` });
    expect(i.message).toContain('unknown asset kind "tankk"');
  });

  it('a site clause reading an unknown point of a known kind', () => {
    const i = refuse('GB18218-2018-IDENTIFICATION', (c) => (c['reads'] = ['tank.levle']));
    expect(i.message).toContain('unknown point name "levle" on a tank');
  });

  it('a deadband on a point the clause does not read', () => {
    const i = refuse('GB50074-15.1.2-HH', (c) => (c['deadband'] = { temperature: 0.5 }));
    expect(i).toMatchObject({ code: 'STANDARD_REFERENCE', field: `clauses[${i.index}].deadband.temperature` });
  });

  it('a delay that is not an ISO 8601 duration, and one in calendar months', () => {
    expect(refuse('ZJ-SIREN-READY', (c) => (c['delayOn'] = '60s')).message).toContain('ISO 8601 duration');
    expect(refuse('ZJ-SIREN-READY', (c) => (c['delayOn'] = 'P1M')).message).toContain('exact time');
  });

  it('an evidence clause without its record kind, and a design clause with one', () => {
    expect(refuse('ORDER40-21-SPECIAL-DRILL', (c) => delete c['evidence'])).toMatchObject({ code: 'STANDARD_SCHEMA', message: expect.stringContaining('names the record kind') });
    expect(refuse('RF-SHELTER-CAPACITY', (c) => (c['evidence'] = { kind: 'x', validFor: 'P1Y' })).message).toContain('only evidence clauses');
  });

  it('a design clause that reads live points or delays', () => {
    expect(refuse('GB50074-6.5.5-FIRE-RESISTANCE', (c) => (c['reads'] = ['water_level'])).message).toContain('reads no live points');
    expect(refuse('GB50074-6.5.5-FIRE-RESISTANCE', (c) => (c['delayOn'] = 'PT1M')).message).toContain('only live clauses');
  });

  it('an evidence expression naming a record field that does not exist', () => {
    const i = refuse('ORDER40-21-ONSITE-DRILL', (c) => (c['expression'] = 'has(record.ref) && record.report'));
    expect(i).toMatchObject({ code: 'STANDARD_EXPRESSION' });
    expect(i.message).toContain('report');
  });

  it('a computed value of the wrong type used as a condition', () => {
    const i = refuse('GB18218-2018-GRADE', (c) => (c['expression'] = 'R'));
    expect(i.message).toContain('must be of type bool but is double');
  });

  it('a param that is not a number, list or table', () => {
    const i = refuse('GB50074-3.0.1-GRADE', (c) => ((c['params'] as Record<string, { value: unknown }>)['gradeValues']!.value = 'five'));
    expect(i).toMatchObject({ code: 'STANDARD_SCHEMA', field: `clauses[${i.index}].params.gradeValues.value` });
  });

  it('a live clause on the site that reads the subject’s own point name', () => {
    const i = refuse('GB18218-2018-GRADE', (c) => (c['reads'] = ['level']));
    expect(i.message).toContain('a site clause reads "<asset kind>.<point>"');
  });
});
