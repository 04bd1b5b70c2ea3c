import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readFile } from 'node:fs/promises';
import { changelog, loadStandards, parseStandard, renderChangelog } from './index.ts';

const ROOT = new URL('.', import.meta.url).pathname;

describe('versions side by side and the changelog between them', () => {
  it('loads 0.1.0 and 1.0.0 together, each clause keyed to its own version', async () => {
    const [v010, v100] = await loadStandards(ROOT);
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
