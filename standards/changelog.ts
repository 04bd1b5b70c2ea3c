import type { Bilingual } from '../model/index.ts';
import type { Standard } from './standard.ts';
import type { ClauseDefinition } from './standard-schema.ts';

/** What changed from one version of a standard to another, clause by clause. */
export interface StandardChangelog {
  from: string;
  to: string;
  added: { id: string; title: Bilingual }[];
  removed: { id: string; title: Bilingual }[];
  /** clauses in both, with the fields that differ */
  changed: { id: string; title: Bilingual; fields: string[] }[];
}

/** The fields of a clause as written in the file; compiled extras are left out. */
const FIELDS = [
  'title', 'requirement', 'source', 'confidence', 'category', 'weight', 'severity', 'appliesTo', 'when', 'check',
  'reads', 'members', 'delayOn', 'delayOff', 'deadband', 'latch', 'evidence', 'params', 'derive', 'compute', 'expression', 'alert', 'confidenceNote',
] as const satisfies readonly (keyof ClauseDefinition)[];

/** Clauses added, removed and changed between two loaded versions (in the newer one's order). */
export function changelog(from: Standard, to: Standard): StandardChangelog {
  const before = new Map(from.clauses.map((c) => [c.id, c]));
  const after = new Set(to.clauses.map((c) => c.id));
  const log: StandardChangelog = { from: from.key, to: to.key, added: [], removed: [], changed: [] };
  for (const clause of to.clauses) {
    const old = before.get(clause.id);
    if (!old) {
      log.added.push({ id: clause.id, title: clause.title });
      continue;
    }
    const fields = FIELDS.filter((f) => stable(old[f]) !== stable(clause[f]));
    if (fields.length > 0) log.changed.push({ id: clause.id, title: clause.title, fields });
  }
  for (const clause of from.clauses) if (!after.has(clause.id)) log.removed.push({ id: clause.id, title: clause.title });
  return log;
}

/** The changelog as Markdown. */
export function renderChangelog(log: StandardChangelog): string {
  const list = (items: { id: string; title: Bilingual; fields?: string[] }[]) =>
    items.length === 0 ? ['- (none)'] : items.map((i) => `- ${i.id}: ${i.title.zh} / ${i.title.en}${i.fields ? ` — ${i.fields.join(', ')}` : ''}`);
  return [
    `# ${log.from} → ${log.to}`,
    '',
    `## Added (${log.added.length})`,
    ...list(log.added),
    '',
    `## Removed (${log.removed.length})`,
    ...list(log.removed),
    '',
    `## Changed (${log.changed.length})`,
    ...list(log.changed),
    '',
  ].join('\n');
}

/** JSON with sorted keys, so key order in the file does not count as a change. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  ) ?? 'undefined';
}
