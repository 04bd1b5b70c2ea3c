import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseSite, SiteDefinitionError } from './index.ts';

const demoText = readFileSync('sites/zhoushan-demo.yaml', 'utf8');

function rejection(text: string): SiteDefinitionError {
  try {
    parseSite(text, 'broken.yaml');
  } catch (error) {
    if (error instanceof SiteDefinitionError) return error;
    throw error;
  }
  throw new Error('the site definition was accepted');
}

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture has no ${needle}`);
  return text.slice(0, index).split('\n').length;
}

const replaced = (from: string, to: string) => {
  if (!demoText.includes(from)) throw new Error(`demo has no ${from}`);
  return demoText.replace(from, to);
};

describe('site plan: roads and gates', () => {
  it('loads the demo roads and gates with their defaults', () => {
    const site = parseSite(demoText, 'demo.yaml');
    expect(site.plan).toMatchObject({ width: 700, height: 500 });
    const ring = site.plan.roads.find((r) => r.id === 'R1');
    expect(ring).toMatchObject({ kind: 'fire-lane', width: 6, name: { zh: '罐区环形消防车道' } });
    expect(ring?.points.at(0)).toEqual(ring?.points.at(-1));
    expect(site.plan.gates.map((g) => [g.id, g.role])).toEqual([
      ['G1', 'main'],
      ['G2', 'emergency'],
    ]);
  });

  it('takes a plan without roads or gates as having none', () => {
    const start = demoText.indexOf('plan:\n');
    const end = demoText.indexOf('\nstandards:');
    const site = parseSite(`${demoText.slice(0, start)}plan: { width: 700, height: 500 }${demoText.slice(end)}`, 'bare.yaml');
    expect(site.plan).toEqual({ width: 700, height: 500, roads: [], gates: [] });
  });

  it('rejects a road point outside the plan, naming the road, the point and its line', () => {
    const text = replaced('{ x: 655, y: 472 }, { x: 22, y: 472 }', '{ x: 655, y: 472 }, { x: 22, y: 520 }');
    const error = rejection(text);
    expect(error.code).toBe('SITE_SCHEMA');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({
      path: 'plan.roads[0].points[3]',
      message: 'road "R1" point (22, 520) lies outside the plan (0..700 east, 0..500 north)',
      line: lineOf(text, '{ x: 22, y: 520 }'),
    });
  });

  it('rejects a gate outside the plan', () => {
    const text = replaced('position: { x: 700, y: 165 }', 'position: { x: 701, y: 165 }');
    const issue = rejection(text).issues[0];
    expect(issue).toMatchObject({ path: 'plan.gates[1].position', line: lineOf(text, 'x: 701') });
    expect(issue?.message).toContain('gate "G2" at (701, 165) lies outside the plan');
  });

  it('rejects a road of one point', () => {
    const issue = rejection(replaced('points: [{ x: 320, y: 245 }, { x: 320, y: 472 }]', 'points: [{ x: 320, y: 245 }]')).issues[0];
    expect(issue).toMatchObject({ path: 'plan.roads[1].points', message: 'a road needs at least two points' });
  });

  it('rejects a road without a width and one with a width of zero', () => {
    const missing = rejection(replaced('      kind: road\n      width: 7\n', '      kind: road\n'));
    expect(missing.issues.map((i) => i.path)).toEqual(['plan.roads[3].width']);
    const zero = rejection(replaced('      kind: road\n      width: 7\n', '      kind: road\n      width: 0\n'));
    expect(zero.issues[0]).toMatchObject({ path: 'plan.roads[3].width' });
    expect(zero.issues[0]?.message).toMatch(/>0|greater than 0/);
  });

  it('rejects an unknown road kind and gate role, listing the known ones', () => {
    const messages = rejection(replaced('kind: fire-lane', 'kind: firelane').replace('role: emergency', 'role: fire')).issues.map((i) => `${i.path}: ${i.message}`);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^plan\.roads\[0\]\.kind: .*"fire-lane"\|"road"/);
    expect(messages[1]).toMatch(/^plan\.gates\[1\]\.role: .*"main"\|"emergency"\|"service"/);
  });

  it('rejects a duplicate gate id and a gate without a name', () => {
    const text = replaced('    - id: G2\n      name: { zh: 东侧应急出入口, en: "East emergency gate" }\n', '    - id: G1\n');
    const messages = rejection(text).issues.map((i) => `${i.path}: ${i.message}`);
    expect(messages).toContain('plan.gates[1].name: Invalid input: expected object, received undefined');
    const dup = rejection(replaced('    - id: G2\n', '    - id: G1\n')).issues;
    expect(dup).toEqual([{ path: 'plan.gates[1].id', message: 'duplicate id "G1" (first used at plan.gates[0])', line: expect.any(Number) }]);
  });

  it('rejects a field the plan does not know', () => {
    const issue = rejection(replaced('      role: main\n', '      role: main\n      colour: red\n')).issues[0];
    expect(issue?.path).toBe('plan.gates[0]');
    expect(issue?.message).toContain('colour');
  });
});
