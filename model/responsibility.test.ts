import { describe, expect, it } from 'vitest';
import { dutiesOf, responsibleFor, responsiblePersons, unitsOfAsset } from './responsibility.ts';
import { loadSite } from './site-loader.ts';

const site = await loadSite(new URL('../sites/zhoushan-demo.yaml', import.meta.url).pathname);

describe('major hazard units and their named persons', () => {
  it('an asset belongs to the unit it is or names: a dike is its own unit, a tank its dike’s', () => {
    expect(unitsOfAsset(site, 'D2')).toEqual(['D2']);
    expect(unitsOfAsset(site, 'T201')).toEqual(['D2']);
    expect(unitsOfAsset(site, 'FP1')).toEqual([]);
    expect(unitsOfAsset(site, 'nowhere')).toEqual([]);
  });

  it("names each unit's persons once, in the file's order", () => {
    expect(responsibleFor(site, ['T101', 'T102']).map((r) => r.unit)).toEqual(['D1']);
    expect(responsiblePersons(site, ['T101', 'T301'])).toEqual(['manager', 'li.gong', 'zhao.ban', 'qian.ban']);
    expect(responsiblePersons(site, [site.id])).toEqual([]);
  });

  it('says what a user is named for', () => {
    expect(dutiesOf(site, 'zhao.ban')).toEqual([{ site: site.id, unit: 'D1', role: 'operations' }]);
    expect(dutiesOf(site, 'li.gong').map((d) => d.role)).toEqual(['technical', 'technical', 'technical']);
    expect(dutiesOf(site, 'auditor')).toEqual([]);
    expect(dutiesOf({ ...site, majorHazard: undefined }, 'manager')).toEqual([]);
  });
});
