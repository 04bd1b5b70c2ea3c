import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { siteSchema } from './site-schema.ts';
import { checkReferences } from './site-references.ts';
import { yamlValue } from './yaml-value.ts';
import { SiteDefinitionError, formatPath, type SiteIssue } from './site-errors.ts';
import type { Site, SiteDefinition } from './site.ts';

/** Reads and validates one site definition file. */
export async function loadSite(file: string): Promise<Site> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SiteDefinitionError('SITE_READ', file, [{ path: '', message: (error as Error).message }]);
  }
  return parseSite(text, file);
}

/** Validates site YAML text; `file` names it in errors. */
export function parseSite(text: string, file: string): Site {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SiteDefinitionError(
      'SITE_YAML',
      file,
      doc.errors.map((e) => ({ path: '', message: e.message.split('\n')[0] ?? e.code, line: e.linePos?.[0]?.line })),
    );
  }
  const lineOf = (path: (string | number)[]) => lineOfPath(doc, lines, path);
  const value = yamlValue(doc, lines);
  if (!value.ok) throw new SiteDefinitionError('SITE_YAML', file, [{ path: formatPath(value.path), message: value.message, line: value.line }]);

  const parsed = siteSchema.safeParse(value.value);
  if (!parsed.success) {
    throw new SiteDefinitionError(
      'SITE_SCHEMA',
      file,
      parsed.error.issues.map((issue) => {
        const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
        return { path: formatPath(path), message: issue.message, line: lineOf(path) };
      }),
    );
  }
  const references = checkReferences(parsed.data);
  if (references.length > 0) {
    throw new SiteDefinitionError(
      'SITE_SCHEMA',
      file,
      references.map((r): SiteIssue => ({ path: formatPath(r.path), message: r.message, line: lineOf(r.path) })),
    );
  }
  return resolve(parsed.data);
}

function resolve(definition: SiteDefinition): Site {
  const sources = new Map(definition.sources.map((s) => [s.id, s]));
  return {
    ...definition,
    points: definition.points.map((p) => ({
      ...p,
      id: `${p.asset}.${p.name}`,
      staleAfterMs: p.staleAfterMs ?? sources.get(p.source)!.staleAfterMs,
    })),
  };
}

/** Line of the deepest node on `path` that exists in the document. */
function lineOfPath(doc: Document, lines: LineCounter, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}
