import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../../model/index.ts';
import { loadStandards, type Standard } from '../../standards/index.ts';
import { rescoreReason } from './rescore-reason.ts';
import { createRescorer } from './rescorer.ts';
import type { Rescorer } from './rescore-types.ts';

const root = new URL('../..', import.meta.url).pathname;
let site: Site;
let standards: Standard[];
let rescorer: Rescorer;
let v100: Standard;
let v110: Standard;

beforeAll(async () => {
  site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
  standards = await loadStandards(`${root}standards`);
  rescorer = createRescorer(standards);
  [v100, v110] = [standards.find((s) => s.key === 'oil-depot-above-ground@1.0.0')!, standards.find((s) => s.key === 'oil-depot-above-ground@1.1.0')!];
});

describe('createRescorer', () => {
  it('names every loaded version and refuses one that is not loaded, naming those that are', () => {
    expect(rescorer.standards).toEqual(standards.map((s) => s.key));
    expect(() => rescorer.replay({ samples: [], site, standard: 'oil-depot-above-ground@9.0.0' })).toThrow(/9\.0\.0 is not loaded \(loaded: .*oil-depot-above-ground@1\.1\.0\)/);
  });

  it('gives the changelog both ways: re-scoring under an older version, what the newer added is removed', () => {
    const forward = rescorer.changelog!(v100.key, v110.key)!;
    const backward = rescorer.changelog!(v110.key, v100.key)!;
    expect(forward.added.length).toBeGreaterThan(0);
    expect({ from: backward.from, to: backward.to }).toEqual({ from: v110.key, to: v100.key });
    expect(backward.removed).toEqual(forward.added);
    expect(backward.added).toEqual(forward.removed);
    expect(backward.changed).toEqual(forward.changed);
    // computed once per pair
    expect(rescorer.changelog!(v100.key, v110.key)).toBe(forward);
    expect(rescorer.changelog!(v100.key, 'oil-depot-above-ground@9.0.0')).toBeUndefined();
  });
});

describe('hazardChanges', () => {
  it('names the hazard checks one version has and the other not, and those whose parameters differ', () => {
    const forward = rescorer.hazardChanges!(v100.key, v110.key)!;
    // 1.1.0 added the stuck-gauge, dike-fire, shut-off valve and lightning checks
    expect(forward.added).toEqual(expect.arrayContaining(['stuck-gauge', 'dike-fire', 'shutoff-valve', 'lightning']));
    expect(forward.removed).toEqual([]);
    expect(forward.changed.every((k) => k in v100.hazards && k in v110.hazards)).toBe(true);
    const backward = rescorer.hazardChanges!(v110.key, v100.key)!;
    expect(backward).toEqual({ added: [], removed: forward.added, changed: forward.changed });
    expect(rescorer.hazardChanges!(v110.key, v110.key)).toEqual({ added: [], removed: [], changed: [] });
    expect(rescorer.hazardChanges!(v110.key, 'oil-depot-above-ground@9.0.0')).toBeUndefined();
  });
});

describe('rescoreReason', () => {
  it('says what the changelog says of a clause: added, changed (found under its old id too) with the reason, or unchanged', () => {
    const log = rescorer.changelog!(v100.key, v110.key)!;
    const added = log.added[0]!;
    expect(rescoreReason(added.id, v100.key, v110.key, log)).toEqual({ from: v100.key, to: v110.key, change: 'added', why: added.why });
    const renamed = log.changed.find((c) => c.replaces === 'GB50074-12.1.5-COOLING-SUPPLY')!;
    for (const id of [renamed.id, 'GB50074-12.1.5-COOLING-SUPPLY']) {
      expect(rescoreReason(id, v100.key, v110.key, log)).toMatchObject({ change: 'changed', replaces: 'GB50074-12.1.5-COOLING-SUPPLY', fields: renamed.fields });
    }
    const same = v110.clauses.find((c) => !log.added.some((e) => e.id === c.id) && !log.changed.some((e) => e.id === c.id))!;
    expect(rescoreReason(same.id, v100.key, v110.key, log)?.change).toBe('unchanged');
    // under an older version, a clause the newer one added is removed
    expect(rescoreReason(added.id, v110.key, v100.key, rescorer.changelog!(v110.key, v100.key))?.change).toBe('removed');
  });

  it('an unchanged clause under another version carries the hazard checks that differ, which can turn it', () => {
    const log = rescorer.changelog!(v110.key, v100.key)!;
    const hazards = rescorer.hazardChanges!(v110.key, v100.key)!;
    const same = v100.clauses.find((c) => !log.added.some((e) => e.id === c.id) && !log.removed.some((e) => e.id === c.id) && !log.changed.some((e) => e.id === c.id))!;
    expect(rescoreReason(same.id, v110.key, v100.key, log, hazards)).toEqual({ from: v110.key, to: v100.key, change: 'unchanged', hazards });
    // nothing differs: nothing to name
    expect(rescoreReason(same.id, v110.key, v100.key, log, { added: [], removed: [], changed: [] })).toEqual({ from: v110.key, to: v100.key, change: 'unchanged' });
  });

  it('under the same version every clause is unchanged; without a changelog between two versions it says nothing', () => {
    expect(rescoreReason('ANY', v110.key, v110.key, undefined)).toEqual({ from: v110.key, to: v110.key, change: 'unchanged' });
    expect(rescoreReason('ANY', v100.key, v110.key, undefined)).toBeUndefined();
  });
});
