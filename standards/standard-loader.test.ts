import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { StandardError, clauseInfo, loadStandard, loadStandards, parseStandard, type StandardIssue } from './index.ts';

const SHIPPED = new URL('./oil-depot-above-ground/0.1.0.yaml', import.meta.url).pathname;
let text: string;
let dir: string;

beforeAll(async () => {
  text = await readFile(SHIPPED, 'utf8');
  dir = await mkdtemp(join(tmpdir(), 'ketwin-standards-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Doc = { clauses: Record<string, unknown>[] } & Record<string, unknown>;
/** The shipped standard with one mistake made in it. */
function broken(change: (doc: Doc) => void): string {
  const doc = parse(text) as Doc;
  change(doc);
  return stringify(doc);
}

function refusal(yaml: string, file = 'bad.yaml'): StandardError {
  try {
    parseStandard(yaml, file);
  } catch (error) {
    expect(error).toBeInstanceOf(StandardError);
    return error as StandardError;
  }
  throw new Error('the standard was accepted');
}

function only(error: StandardError): StandardIssue {
  expect(error.issues).toHaveLength(1);
  return error.issues[0]!;
}

describe('the shipped standard', () => {
  it('loads with its three clauses, every expression type-checked', async () => {
    const standard = await loadStandard(SHIPPED);
    expect(standard.key).toBe('oil-depot-above-ground@0.1.0');
    expect(standard.clauses.map((c) => c.id)).toEqual(['GB50074-15.1.2-HH', 'GBT50493-5.5.2-GAS1', 'GB50074-6.5.1-DIKE']);
    expect(standard.grading.forceRedSeverities).toEqual([1]);
    const hh = standard.clauses[0]!;
    expect(hh.assetFields).toEqual(['levelHighHigh']);
    expect(hh.alert?.kind).toBe('overfill');
    expect(standard.clauses[1]!.params['firstAlarmLEL']?.value).toBe(25);
  });

  it('is found by loadStandards and described by clauseInfo', async () => {
    const all = await loadStandards(new URL('.', import.meta.url).pathname);
    // every version side by side, by id then oldest first; fixtures beside them are not standards
    expect(all.map((s) => s.key)).toEqual(['early-works-flood@1.0.0', 'oil-depot-above-ground@0.1.0', 'oil-depot-above-ground@1.0.0', 'oil-depot-above-ground@1.1.0']);
    const standards = all.filter((s) => s.id === 'oil-depot-above-ground');
    const info = clauseInfo(standards[0]!);
    expect(info[2]).toMatchObject({
      id: 'GB50074-6.5.1-DIKE',
      source: { standard: 'GB 50074-2014', clause: '6.5.1' },
      confidence: 'confirmed',
      appliesTo: 'dike',
      check: 'live',
      standard: 'oil-depot-above-ground@0.1.0',
    });
    expect(info[0]!.title.zh).toBe('储罐高高液位');
  });
});

describe('a broken standard is refused, naming file, clause, field and why', () => {
  it('a syntax error in an expression, with its position', () => {
    const error = refusal(broken((d) => (d.clauses[0]!['expression'] = 'level < ')));
    const issue = only(error);
    expect(error.code).toBe('STANDARD_EXPRESSION');
    expect(issue).toMatchObject({ clause: 'GB50074-15.1.2-HH', field: 'clauses[0].expression' });
    expect(issue.message).toMatch(/position \d+/);
    expect(error.message).toContain('bad.yaml');
    expect(issue.line).toBeGreaterThan(1);
  });

  it('an expression using a point the clause does not read', () => {
    const issue = only(refusal(broken((d) => (d.clauses[1]!['expression'] = 'gass < params.firstAlarmLEL'))));
    expect(issue).toMatchObject({ code: 'STANDARD_EXPRESSION', clause: 'GBT50493-5.5.2-GAS1', field: 'clauses[1].expression' });
    expect(issue.message).toContain('Unknown variable: gass');
    expect(issue.message).toContain('position 1');
  });

  it('an asset attribute the site model does not have', () => {
    const issue = only(refusal(broken((d) => (d.clauses[0]!['expression'] = 'level < asset.levelHiHi'))));
    expect(issue.code).toBe('STANDARD_EXPRESSION');
    expect(issue.message).toMatch(/levelHiHi.*position 15/);
  });

  it('a clause made "not applicable" by whether a point is mapped (that is "not monitored", for the engine to say)', () => {
    const issue = only(refusal(broken((d) => (d.clauses[1]!['when'] = 'site.points.exists(p, p.asset == asset.id && p.name == "gas")'))));
    expect(issue).toMatchObject({ code: 'STANDARD_EXPRESSION', clause: 'GBT50493-5.5.2-GAS1', field: 'clauses[1].when' });
    expect(issue.message).toContain('must not ask whether a point is mapped');
  });

  it('a standard without its live-risk table', () => {
    const issue = refusal(broken((d) => delete d['liveRisk'])).issues[0]!;
    expect(issue.field).toContain('liveRisk');
  });

  it('an expression that is not a condition', () => {
    const issue = only(refusal(broken((d) => (d.clauses[0]!['expression'] = 'asset.levelHighHigh - level'))));
    expect(issue.message).toContain('must be of type bool but is double');
  });

  it('an unknown point name', () => {
    const issue = only(refusal(broken((d) => (d.clauses[0]!['reads'] = ['levle']))));
    expect(issue).toMatchObject({ code: 'STANDARD_REFERENCE', clause: 'GB50074-15.1.2-HH', field: 'clauses[0].reads[0]' });
    expect(issue.message).toContain('unknown point name "levle" on a tank');
  });

  it('an unknown asset kind', () => {
    const issue = only(refusal(broken((d) => (d.clauses[2]!['appliesTo'] = 'bund'))));
    expect(issue).toMatchObject({ code: 'STANDARD_SCHEMA', clause: 'GB50074-6.5.1-DIKE', field: 'clauses[2].appliesTo' });
    expect(issue.message).toContain('unknown asset kind "bund"');
  });

  it('a weight out of range', () => {
    const issue = only(refusal(broken((d) => (d.clauses[1]!['weight'] = 500))));
    expect(issue).toMatchObject({ code: 'STANDARD_SCHEMA', clause: 'GBT50493-5.5.2-GAS1', field: 'clauses[1].weight' });
    expect(issue.message).toContain('weight out of range');
  });

  it('a duplicated clause id', () => {
    const issue = only(refusal(broken((d) => (d.clauses[2]!['id'] = 'GB50074-15.1.2-HH'))));
    expect(issue).toMatchObject({ code: 'STANDARD_DUPLICATE', clause: 'GB50074-15.1.2-HH', field: 'clauses[2].id' });
    expect(issue.message).toContain('first used at clauses[0]');
  });

  it('an alert message naming a value the clause does not have', () => {
    const issue = only(refusal(broken((d) => ((d.clauses[1]!['alert'] as { message: { en: string } }).message.en = 'gas at {gas} over {params.secondAlarm}'))));
    expect(issue).toMatchObject({ code: 'STANDARD_TEMPLATE', field: 'clauses[1].alert.message.en' });
    expect(issue.message).toContain('{params.secondAlarm}');
  });

  it('a derived value that does not type-check', () => {
    const issue = only(refusal(broken((d) => ((d.clauses[2]!['derive'] as Record<string, string>)['largestTank'] = 'max(site.tanks.map(t, t.volume))'))));
    expect(issue).toMatchObject({ code: 'STANDARD_EXPRESSION', field: 'clauses[2].derive.largestTank' });
  });

  it('malformed YAML, with its line', () => {
    const error = refusal('id: x\nversion: 0.1.0\nclauses: [\n  - a\n');
    expect(error.code).toBe('STANDARD_YAML');
    expect(error.issues[0]!.line).toBeGreaterThan(1);
  });

  it('the same id and version in two files', async () => {
    const root = join(dir, 'twice');
    await mkdir(join(root, 'a'), { recursive: true });
    await mkdir(join(root, 'b', 'fixtures'), { recursive: true });
    await writeFile(join(root, 'a', '0.1.0.yaml'), text);
    await writeFile(join(root, 'b', '0.1.0.yaml'), text);
    // YAML that is not <id>/<version>.yaml (fixtures, notes) is not read as a standard
    await writeFile(join(root, 'b', 'fixtures', '0.1.0.yaml'), 'not: a standard');
    await writeFile(join(root, 'a', 'notes.yaml'), 'not: a standard');
    const error = await loadStandards(root).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StandardError);
    expect((error as StandardError).code).toBe('STANDARD_DUPLICATE');
    expect((error as StandardError).message).toContain(join('b', '0.1.0.yaml'));
    expect((error as StandardError).message).toContain(join('a', '0.1.0.yaml'));
  });

  it('a file that is not there', async () => {
    await expect(loadStandard(join(dir, 'missing.yaml'))).rejects.toMatchObject({ code: 'STANDARD_READ' });
  });
});
