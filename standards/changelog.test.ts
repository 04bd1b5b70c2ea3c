import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readFile } from 'node:fs/promises';
import { changelog, loadStandards, parseStandard, renderChangelog } from './index.ts';

const ROOT = new URL('.', import.meta.url).pathname;

describe('versions side by side and the changelog between them', () => {
  it('loads 0.1.0 and 1.0.0 together, each clause keyed to its own version', async () => {
    const [v010, v100] = (await loadStandards(ROOT)).filter((s) => s.id === 'oil-depot-above-ground');
    expect([v010!.key, v100!.key]).toEqual(['oil-depot-above-ground@0.1.0', 'oil-depot-above-ground@1.0.0']);
    const log = changelog(v010!, v100!);
    expect(log).toMatchObject({ from: 'oil-depot-above-ground@0.1.0', to: 'oil-depot-above-ground@1.0.0', removed: [] });
    expect(log.added).toHaveLength(v100!.clauses.length - 3);
    expect(log.added.map((a) => a.id)).toContain('GB18218-2018-GRADE');
    // the three skeleton clauses carry on, with a deadband added (and the dike clause a new title)
    expect(log.changed.map((c) => c.id)).toEqual(['GB50074-6.5.1-DIKE', 'GB50074-15.1.2-HH', 'GBT50493-5.5.2-GAS1']);
    expect(log.changed.find((c) => c.id === 'GB50074-15.1.2-HH')!.fields).toEqual(['deadband']);
    const text = renderChangelog(log);
    expect(text).toContain('## Added (54)');
    expect(text).toContain('- GB50074-15.1.2-HH: 储罐高高液位 / Tank high-high level — deadband');
  });

  it('names a removed clause and a changed weight', async () => {
    const text = await readFile(`${ROOT}oil-depot-above-ground/0.1.0.yaml`, 'utf8');
    const doc = parse(text) as { version: string; clauses: { id: string; weight: number }[] };
    const before = parseStandard(text, 'a.yaml');
    doc.version = '0.1.1';
    doc.clauses = doc.clauses.filter((c) => c.id !== 'GB50074-6.5.1-DIKE');
    doc.clauses[0]!.weight = 12;
    const after = parseStandard(stringify(doc), 'b.yaml');
    const log = changelog(before, after);
    expect(log.removed.map((r) => r.id)).toEqual(['GB50074-6.5.1-DIKE']);
    expect(log.changed).toEqual([{ id: 'GB50074-15.1.2-HH', title: expect.any(Object), fields: ['weight'] }]);
    expect(log.added).toEqual([]);
  });
});

describe('the changelog 1.0.0 → 1.1.0 says why, from the data', () => {
  it('lists each corrected citation, each new clause and each change with its reason; a renamed clause is not removed and added', async () => {
    const standards = (await loadStandards(ROOT)).filter((s) => s.id === 'oil-depot-above-ground');
    const [v100, v110] = [standards.find((s) => s.version === '1.0.0')!, standards.find((s) => s.version === '1.1.0')!];
    const log = changelog(v100, v110);
    expect(log.removed).toEqual([]);
    expect(log.citations).toContainEqual(expect.objectContaining({ id: 'GB50074-6.1-GROUP-CAPACITY', from: 'GB 50183 6.5.4', to: 'GB 50074-2014 6.1 (tank groups)' }));
    expect(log.citations).toContainEqual(expect.objectContaining({ id: 'GB18218-2018-GRADE', from: 'GB 18218-2018 4.2', to: 'GB 18218-2018 4.3' }));
    expect(log.changed.find((c) => c.id === 'GB50074-12.2-COOLING-SUPPLY')).toMatchObject({ replaces: 'GB50074-12.1.5-COOLING-SUPPLY' });
    // every clause added or changed in 1.1.0 carries its reason
    expect([...log.added, ...log.changed].filter((e) => !e.why).map((e) => e.id)).toEqual([]);
    expect(v110.clauses.length).toBeGreaterThanOrEqual(65);
    const text = renderChangelog(log);
    expect(text).toContain('## Corrected citations (11)');
    expect(text).toContain('- GB50074-6.1-GROUP-CAPACITY: GB 50183 6.5.4 → GB 50074-2014 6.1 (tank groups) — why: corrected citation: GB 50183 is the oil-and-gas field code');
  });

  it('names a changed threshold with its values and the reason the clause records', async () => {
    const text = await readFile(`${ROOT}oil-depot-above-ground/0.1.0.yaml`, 'utf8');
    const doc = parse(text) as { version: string; clauses: { id: string; params?: Record<string, { value: number }>; changes?: unknown }[] };
    const before = parseStandard(text, 'a.yaml');
    doc.version = '0.1.1';
    const gas = doc.clauses.find((c) => c.id === 'GBT50493-5.5.2-GAS1')!;
    gas.params!['firstAlarmLEL']!.value = 20;
    gas.changes = { version: '0.1.1', why: 'a stricter first alarm' };
    const log = changelog(before, parseStandard(stringify(doc), 'b.yaml'));
    expect(log.thresholds).toEqual([
      expect.objectContaining({ id: 'GBT50493-5.5.2-GAS1', changes: [{ param: 'firstAlarmLEL', from: 25, to: 20 }], why: 'a stricter first alarm' }),
    ]);
    expect(renderChangelog(log)).toContain('- GBT50493-5.5.2-GAS1: firstAlarmLEL 25 → 20 — why: a stricter first alarm');
  });
});
