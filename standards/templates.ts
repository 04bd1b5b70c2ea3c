import type { Bilingual } from '../model/index.ts';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.]*)\}/g;

/** Names used as {placeholders} in a template. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Fills {name} placeholders; `{name}` takes the subject's name in the template's language. */
export function renderTemplate(template: Bilingual, values: Record<string, unknown>, name: Bilingual): Bilingual {
  const fill = (text: string, lang: 'zh' | 'en') =>
    text.replace(PLACEHOLDER, (whole, key: string) => {
      if (key === 'name') return name[lang];
      const value = values[key];
      return value === undefined ? whole : formatValue(value);
    });
  return { zh: fill(template.zh, 'zh'), en: fill(template.en, 'en') };
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  return String(value);
}
