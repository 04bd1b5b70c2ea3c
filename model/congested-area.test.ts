import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSite, SiteDefinitionError, type CongestedArea } from './index.ts';

// The congested-area asset (TNO multi-energy's congested volume): what the site file must say and how a
// wrong one is refused, named by its place, so that no explosion is computed from a volume that cannot be.
const demo = readFileSync('sites/zhoushan-demo.yaml', 'utf8');
const MF1 =
  'attributes: { type: manifold, outline: [{ x: 155, y: 290 }, { x: 185, y: 290 }, { x: 185, y: 310 }, { x: 155, y: 310 }], height: 3, obstacleDensity: high, confined: false, blockageRatio: 0.25 }';

function issuesOf(attributes: string): { path: string; message: string }[] {
  if (!demo.includes(MF1)) throw new Error('the demo site no longer has MF1 as this test knows it');
  try {
    parseSite(demo.replace(MF1, `attributes: ${attributes}`), 'broken.yaml');
  } catch (error) {
    if (error instanceof SiteDefinitionError) return error.issues;
    throw error;
  }
  return [];
}

describe('congested-area assets', () => {
  it('loads the demo manifold, pump house and pipe rack with their outlines, heights and charge inputs', () => {
    const site = parseSite(demo, 'zhoushan-demo.yaml');
    const areas = site.assets.filter((a): a is CongestedArea => a.kind === 'congested-area');
    expect(areas.map((a) => [a.id, a.attributes.type, a.attributes.confined])).toEqual([
      ['MF1', 'manifold', false],
      ['PH1', 'pump-house', true],
      ['PR1', 'pipe-rack', false],
    ]);
    expect(areas[0]!.attributes).toMatchObject({ height: 3, obstacleDensity: 'high', blockageRatio: 0.25 });
  });

  it("takes a volume less than the outline × height, and a site study's charge strength", () => {
    expect(
      issuesOf(
        '{ type: manifold, outline: [{ x: 155, y: 290 }, { x: 185, y: 290 }, { x: 185, y: 310 }], height: 3, obstacleDensity: low, confined: false, volume: 800, chargeStrength: 7 }',
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'an outline that encloses no area',
      '{ type: manifold, outline: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 20, y: 0 }], height: 3, obstacleDensity: high, confined: false }',
      /outline$/,
      /encloses no area/,
    ],
    [
      'a volume larger than the outline can hold',
      '{ type: manifold, outline: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }], height: 3, obstacleDensity: high, confined: false, volume: 400 }',
      /volume$/,
      /400 m³ exceeds the outline's 100 m² × height 3 m = 300 m³/,
    ],
    [
      'a charge strength outside 1–10',
      '{ type: manifold, outline: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }], height: 3, obstacleDensity: high, confined: false, chargeStrength: 11 }',
      /chargeStrength$/,
      /10/,
    ],
    [
      'an obstacle density the method does not know',
      '{ type: manifold, outline: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }], height: 3, obstacleDensity: dense, confined: false }',
      /obstacleDensity$/,
      /high/,
    ],
    [
      'a blockage ratio above 1',
      '{ type: manifold, outline: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }], height: 3, obstacleDensity: high, confined: false, blockageRatio: 1.5 }',
      /blockageRatio$/,
      /1/,
    ],
    ['no height', '{ type: manifold, outline: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }], obstacleDensity: high, confined: false }', /height$/, /./],
    [
      'a field the asset does not have',
      '{ type: manifold, outline: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }], height: 3, obstacleDensity: high, confined: false, congestion: 3 }',
      /attributes/,
      /congestion/,
    ],
  ])('refuses %s, naming the field', (_, attributes, path, message) => {
    const issues = issuesOf(attributes);
    const issue = issues.find((i) => path.test(i.path));
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.path).toMatch(/^assets\[\d+\]\.attributes/);
    expect(issue!.message).toMatch(message);
  });
});
