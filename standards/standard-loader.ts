import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { createCelModel } from './cel-model.ts';
import { compileClause, type CompiledClause } from './clause-compiler.ts';
import { StandardError, type StandardIssue } from './standard-errors.ts';
import { standardSchema } from './standard-schema.ts';
import type { Standard } from './standard.ts';
import { yamlValue } from '../model/index.ts';

/** Reads, validates and compiles one standard file. */
export async function loadStandard(file: string): Promise<Standard> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new StandardError(file, [{ code: 'STANDARD_READ', field: '', message: (error as Error).message }]);
  }
  return parseStandard(text, file);
}

/** Loads every `<id>/<version>.yaml` under `dir` (other YAML, such as fixtures, is not a standard), sorted by id then version. */
export async function loadStandards(dir: string): Promise<Standard[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && /^\d+\.\d+\.\d+\.yaml$/.test(e.name) && resolve(e.parentPath, '..') === resolve(dir))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  const standards: Standard[] = [];
  for (const file of files) {
    const standard = await loadStandard(file);
    const twin = standards.find((s) => s.key === standard.key);
    if (twin) throw new StandardError(file, [{ code: 'STANDARD_DUPLICATE', field: 'version', message: `${standard.key} is also defined in ${twin.file}` }]);
    standards.push(standard);
  }
  return standards.sort((a, b) => a.id.localeCompare(b.id) || compareVersions(a.version, b.version));
}

/** Validates and compiles standard YAML text; `file` names it in errors. */
export function parseStandard(text: string, file: string): Standard {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new StandardError(
      file,
      doc.errors.map((e) => ({ code: 'STANDARD_YAML', field: '', message: e.message.split('\n')[0] ?? e.code, line: e.linePos?.[0]?.line })),
    );
  const lineOf = (field: string) => lineOfPath(doc, lines, parsePath(field));
  const withLines = (issues: StandardIssue[]) => issues.map((i) => ({ ...i, line: i.line ?? lineOf(i.field) }));

  const value = yamlValue(doc, lines); // an alias to nothing, an alias bomb, NUL text: named with the line
  if (!value.ok) throw new StandardError(file, [{ code: 'STANDARD_YAML', field: formatPath(value.path), message: value.message, line: value.line }]);
  const raw = value.value;
  const parsed = standardSchema.safeParse(raw);
  if (!parsed.success) {
    const clauseIds = (raw as { clauses?: { id?: unknown }[] } | null)?.clauses;
    throw new StandardError(
      file,
      withLines(
        parsed.error.issues.map((issue) => {
          const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
          const clauseId = path[0] === 'clauses' && typeof path[1] === 'number' ? clauseIds?.[path[1]]?.id : undefined;
          return {
            code: 'STANDARD_SCHEMA' as const,
            clause: typeof clauseId === 'string' ? clauseId : undefined,
            field: formatPath(path),
            message: issue.message,
          };
        }),
      ),
    );
  }
  const definition = parsed.data;
  const issues: StandardIssue[] = [];
  const firstAt = new Map<string, number>();
  definition.clauses.forEach((clause, i) => {
    const earlier = firstAt.get(clause.id);
    if (earlier === undefined) firstAt.set(clause.id, i);
    else issues.push({ code: 'STANDARD_DUPLICATE', clause: clause.id, field: `clauses[${i}].id`, message: `duplicate clause id (first used at clauses[${earlier}])` });
  });

  const cel = createCelModel();
  const clauses: CompiledClause[] = [];
  definition.clauses.forEach((clause, i) => {
    const compiled = compileClause(clause, i, definition.points, cel);
    issues.push(...compiled.issues);
    if (compiled.clause) clauses.push(compiled.clause);
  });
  if (issues.length > 0) throw new StandardError(file, withLines(issues));
  return { ...definition, key: `${definition.id}@${definition.version}`, file, clauses, cel };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${key}`)).join('');
}

function parsePath(field: string): (string | number)[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/** Line of the deepest node on `path` that exists in the document. */
function lineOfPath(doc: Document, lines: LineCounter, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}
