import type { Bilingual } from '../model/index.ts';
import type { Standard } from './standard.ts';
import type { ClauseDefinition, ParamDefinition } from './standard-schema.ts';

/** A threshold whose value changed, was added to or dropped from a clause. */
export interface ThresholdChange {
  param: string;
  from?: ParamDefinition['value'];
  to?: ParamDefinition['value'];
}

/** One clause in the changelog, with the reason the newer version records for it (its `changes.why`). */
export interface ChangelogEntry {
  id: string;
  title: Bilingual;
  /** why, from the clause's `changes` note made in the newer version; undefined when none was recorded */
  why?: string;
}

/** What changed from one version of a standard to another, clause by clause. */
export interface StandardChangelog {
  from: string;
  to: string;
  added: ChangelogEntry[];
  removed: ChangelogEntry[];
  /** clauses in both (or renamed: `replaces` the old id), with the fields that differ */
  changed: (ChangelogEntry & { fields: string[]; replaces?: string })[];
  /** clauses whose cited source changed */
  citations: (ChangelogEntry & { from: string; to: string })[];
  /** clauses whose thresholds (params) changed */
  thresholds: (ChangelogEntry & { changes: ThresholdChange[] })[];
}

/** The fields of a clause as written in the file; compiled extras and the `changes` note itself are left out. */
const FIELDS = [
  'title',
  'requirement',
  'source',
  'confidence',
  'category',
  'weight',
  'severity',
  'appliesTo',
  'when',
  'check',
  'reads',
  'members',
  'delayOn',
  'delayOff',
  'deadband',
  'latch',
  'evidence',
  'params',
  'derive',
  'compute',
  'expression',
  'alert',
  'confidenceNote',
] as const satisfies readonly (keyof ClauseDefinition)[];

const citationOf = (c: ClauseDefinition) => `${c.source.standard} ${c.source.clause}`;

/**
 * Clauses added, removed and changed between two loaded versions (in the newer one's order). A clause whose
 * `changes` (made in the newer version) `replaces` an old id is that clause renamed — a corrected citation —
 * not one removed and one added. The reasons come from the clauses' `changes.why`.
 */
export function changelog(from: Standard, to: Standard): StandardChangelog {
  const before = new Map(from.clauses.map((c) => [c.id, c]));
  const why = (c: ClauseDefinition) => (c.changes?.version === to.version ? c.changes.why : undefined);
  const replaces = (c: ClauseDefinition) => (c.changes?.version === to.version ? c.changes.replaces : undefined);
  const matched = new Set<string>();
  const log: StandardChangelog = { from: from.key, to: to.key, added: [], removed: [], changed: [], citations: [], thresholds: [] };
  for (const clause of to.clauses) {
    const renamedFrom = replaces(clause);
    const old = before.get(clause.id) ?? (renamedFrom ? before.get(renamedFrom) : undefined);
    const entry: ChangelogEntry = { id: clause.id, title: clause.title, ...(why(clause) ? { why: why(clause) } : {}) };
    if (!old) {
      log.added.push(entry);
      continue;
    }
    matched.add(old.id);
    const fields = FIELDS.filter((f) => stable(old[f]) !== stable(clause[f]));
    if (fields.length > 0 || old.id !== clause.id) log.changed.push({ ...entry, fields, ...(old.id !== clause.id ? { replaces: old.id } : {}) });
    if (citationOf(old) !== citationOf(clause)) log.citations.push({ ...entry, from: citationOf(old), to: citationOf(clause) });
    const params = new Set([...Object.keys(old.params), ...Object.keys(clause.params)]);
    const changes: ThresholdChange[] = [];
    for (const param of params) {
      const a = old.params[param]?.value;
      const b = clause.params[param]?.value;
      if (stable(a) !== stable(b)) changes.push({ param, ...(a !== undefined ? { from: a } : {}), ...(b !== undefined ? { to: b } : {}) });
    }
    if (changes.length > 0) log.thresholds.push({ ...entry, changes });
  }
  for (const clause of from.clauses) if (!matched.has(clause.id)) log.removed.push({ id: clause.id, title: clause.title });
  return log;
}

const value = (v: ParamDefinition['value'] | undefined) => (v === undefined ? '(none)' : typeof v === 'number' ? String(v) : JSON.stringify(v));
const because = (e: ChangelogEntry) => (e.why ? ` — why: ${e.why}` : '');

/** The changelog as Markdown: corrected citations, changed thresholds, then clauses added, removed and changed, each with its reason. */
export function renderChangelog(log: StandardChangelog): string {
  const list = <T>(items: T[], line: (item: T) => string) => (items.length === 0 ? ['- (none)'] : items.map(line));
  const name = (e: ChangelogEntry) => `${e.id}: ${e.title.zh} / ${e.title.en}`;
  return [
    `# ${log.from} → ${log.to}`,
    '',
    `## Corrected citations (${log.citations.length})`,
    ...list(log.citations, (c) => `- ${c.id}: ${c.from} → ${c.to}${because(c)}`),
    '',
    `## Changed thresholds (${log.thresholds.length})`,
    ...list(log.thresholds, (t) => `- ${t.id}: ${t.changes.map((c) => `${c.param} ${value(c.from)} → ${value(c.to)}`).join('; ')}${because(t)}`),
    '',
    `## Added (${log.added.length})`,
    ...list(log.added, (a) => `- ${name(a)}${because(a)}`),
    '',
    `## Removed (${log.removed.length})`,
    ...list(log.removed, (r) => `- ${name(r)}`),
    '',
    `## Changed (${log.changed.length})`,
    ...list(log.changed, (c) => `- ${name(c)}${c.replaces ? ` (was ${c.replaces})` : ''} — ${c.fields.join(', ') || 'id'}${because(c)}`),
    '',
  ].join('\n');
}

/** JSON with sorted keys, so key order in the file does not count as a change. */
function stable(value: unknown): string {
  return (
    JSON.stringify(value, (_, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
    ) ?? 'undefined'
  );
}
