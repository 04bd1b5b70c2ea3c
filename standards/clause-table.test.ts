import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadStandard, renderClauseTable } from './index.ts';
import { standardDocuments } from './write-documents.ts';

const DIR = new URL('./oil-depot-above-ground/', import.meta.url).pathname;

describe('the clause table in the repository', () => {
  it.each(['0.1.0', '1.0.0', '1.1.0'])('matches %s.yaml (regenerate with renderClauseTable when the YAML changes)', async (version) => {
    const standard = await loadStandard(`${DIR}${version}.yaml`);
    const committed = await readFile(`${DIR}${version}.md`, 'utf8');
    expect(committed).toBe(renderClauseTable(standard));
  });

  it('keeps every generated document (clause tables, changelogs) up to date: `npm run standards:docs`', async () => {
    const documents = await standardDocuments(new URL('.', import.meta.url).pathname);
    const root = new URL('.', import.meta.url).pathname;
    expect([...documents.keys()].map((p) => p.slice(root.length))).toEqual([
      'early-works-flood/1.0.0.md',
      'oil-depot-above-ground/0.1.0.md',
      'oil-depot-above-ground/1.0.0.md',
      'oil-depot-above-ground/1.1.0.md',
      'oil-depot-above-ground/changes-0.1.0-to-1.0.0.md',
      'oil-depot-above-ground/changes-1.0.0-to-1.1.0.md',
    ]);
    for (const [path, text] of documents) expect(await readFile(path, 'utf8'), path).toBe(text);
  });

  it('has one row per clause with its source, check kind, threshold and confidence', async () => {
    const standard = await loadStandard(`${DIR}1.0.0.yaml`);
    const table = renderClauseTable(standard);
    const rows = table.split('\n').filter((l) => /^\| [A-Z]/.test(l) && !l.startsWith('| id '));
    expect(rows).toHaveLength(standard.clauses.length);
    const onsite = rows.find((r) => r.startsWith('| ORDER40-21-ONSITE-DRILL '))!;
    expect(onsite).toContain('现场处置方案演练');
    expect(onsite).toContain('SAWS Order No. 40 Art. 21');
    expect(onsite).toContain('| evidence |');
    expect(onsite).toContain('record "onsite-plan-drill" valid P6M');
    const spacing = rows.find((r) => r.startsWith('| GB50074-6.1.15-SPACING '))!;
    expect(spacing).toContain('floatingRoofFactor = 0.4');
    expect(spacing).toContain('**unconfirmed**');
    // a CEL "||" does not split a Markdown cell
    expect(rows.every((r) => r.split(/(?<!\\)\|/).length === 11)).toBe(true);
  });
});
