// Issue 22 item 5: the web app has Chinese and English for every word the data carries as a code — the
// standards' categories, alert kinds, record kinds and recorded figures, the sites' point names, the asset
// kinds, hazards and enumerated attributes — and its own catalogue is complete in both languages, the
// Chinese free of English words. (The browser test walks the pages; this one reads the data itself.)
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ASSET_KINDS, loadSite, PRODUCTS, TANK_ROOFS, UNITS } from '../model/index.ts';
import { ALERT_KIND_WORDS, ATTRIBUTE_VALUE_WORDS, CATEGORY_WORDS, FIELD_WORDS, POINT_WORDS, RECORD_WORDS, UNIT_WORDS } from '../ui/web/src/lib/domain-words.ts';
import { STRING_KEYS, translate, type StringKey } from '../ui/web/src/lib/i18n.ts';

const STANDARDS = resolve('standards/oil-depot-above-ground');
const SITES = resolve('sites');
const HAZARDS = ['overfill', 'gas-cloud', 'vce', 'tank-fire', 'dike-fire', 'domino', 'boilover', 'spill-to-sea', 'protection-lost', 'suspected-attack', 'lightning', 'stuck-gauge'];
/** an English word in Chinese text: a letter and at least two lower-case ones (acronyms and unit symbols such as GB, kPa pass) */
const ENGLISH_WORD = /\b[A-Za-z][a-z]{2,}\b/;
/** names written as they are in either language: the product, the demo's user names, a file extension */
const NAMES = /\b(ketwin|manager|auditor|rescue|sig)\b/g;
/** the language toggle names the other language in that language */
const OTHER_LANGUAGE = new Set(['language']);

interface Clause {
  category?: string;
  alert?: { kind: string };
  evidence?: { kind: string };
}

async function standardsText(): Promise<{ texts: string[]; clauses: Clause[] }> {
  const files = (await readdir(STANDARDS)).filter((f) => f.endsWith('.yaml'));
  const texts = await Promise.all(files.map((f) => readFile(join(STANDARDS, f), 'utf8')));
  return { texts, clauses: texts.flatMap((t) => (parse(t) as { clauses: Clause[] }).clauses) };
}

const missing = (codes: Iterable<string>, words: Record<string, unknown>) => [...new Set(codes)].filter((c) => !(c in words)).sort();

describe('words for every code the data carries', () => {
  it("the standards' categories, alert kinds, record kinds and recorded figures", async () => {
    const { texts, clauses } = await standardsText();
    expect(
      missing(
        clauses.flatMap((c) => (c.category ? [c.category] : [])),
        CATEGORY_WORDS,
      ),
    ).toEqual([]);
    expect(
      missing(
        clauses.flatMap((c) => (c.alert ? [c.alert.kind] : [])),
        ALERT_KIND_WORDS,
      ),
    ).toEqual([]);
    expect(
      missing(
        clauses.flatMap((c) => (c.evidence ? [c.evidence.kind] : [])),
        RECORD_WORDS,
      ),
    ).toEqual([]);
    const figures = texts.flatMap((t) => [...t.matchAll(/record\.values\.([A-Za-z]+)/g)].map((m) => m[1]!));
    expect(missing(figures, FIELD_WORDS)).toEqual([]);
    // the site's own figures a clause reads: a path ending in a value, not in a list method
    const siteFields = texts.flatMap((t) => [...t.matchAll(/\bsite\.([a-zA-Z]+(?:\.[a-zA-Z]+)*)/g)].map((m) => m[1]!.replace(/\.(exists|filter|map|all|size)$/, '')));
    const values = siteFields.filter(
      (f) => !/^(tanks|dikes|points|gasDetectors|instruments|fireWaterPools|shelters|releaseSources|cameras)\b/.test(f) && !/\.(processUnits|responsible)$/.test(f),
    );
    expect(
      missing(
        values.map((f) => `site.${f}`),
        FIELD_WORDS,
      ),
    ).toEqual([]);
  });

  it("every site's point names, asset kinds, units, hazards and enumerated attributes", async () => {
    const names = new Set<string>();
    for (const file of (await readdir(SITES)).filter((f) => f.endsWith('.yaml'))) {
      const site = await loadSite(join(SITES, file));
      for (const p of site.points) names.add(p.name);
    }
    expect(missing(names, POINT_WORDS)).toEqual([]);
    expect(ASSET_KINDS.filter((k) => !STRING_KEYS.includes(`kind.${k}` as StringKey))).toEqual([]);
    expect(HAZARDS.filter((h) => !STRING_KEYS.includes(`hazard.${h}` as StringKey))).toEqual([]);
    expect(missing(UNITS, UNIT_WORDS)).toEqual([]);
    expect(missing(TANK_ROOFS, ATTRIBUTE_VALUE_WORDS['roof']!)).toEqual([]);
    expect(missing(PRODUCTS, ATTRIBUTE_VALUE_WORDS['product']!)).toEqual([]);
  });
});

describe("the web app's catalogues", () => {
  const catalogues: [string, Record<string, { zh: string; en: string }>][] = [
    ['strings', Object.fromEntries(STRING_KEYS.map((k) => [k, { zh: translate('zh', k), en: translate('en', k) }]))],
    ['points', POINT_WORDS],
    ['fields', FIELD_WORDS],
    ['records', RECORD_WORDS],
    ['categories', CATEGORY_WORDS],
    ['alert kinds', ALERT_KIND_WORDS],
    ...Object.entries(ATTRIBUTE_VALUE_WORDS).map(([a, w]): [string, Record<string, { zh: string; en: string }>] => [`attribute ${a}`, w]),
  ];

  it.each(catalogues)('%s: both languages, the Chinese without English words', (_name, words) => {
    const problems = Object.entries(words).flatMap(([key, w]) => {
      const out: string[] = [];
      if (!w.zh.trim() || !w.en.trim()) out.push(`${key}: empty`);
      if (OTHER_LANGUAGE.has(key)) return out;
      if (ENGLISH_WORD.test(w.zh.replace(/\{[a-z]+\}/gi, '').replace(NAMES, ''))) out.push(`${key}: English in zh "${w.zh}"`);
      if (/[\u3400-\u9fff]/.test(w.en)) out.push(`${key}: Chinese in en "${w.en}"`);
      return out;
    });
    expect(problems).toEqual([]);
  });
});
