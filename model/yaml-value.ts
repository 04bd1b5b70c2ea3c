/**
 * A parsed YAML document's value, or what is wrong with it and on which line: an alias to no
 * anchor, an alias bomb (too many aliases: a resource exhaustion attack), text that cannot be
 * stored. The `yaml` library reports these by throwing from toJS() without a place.
 */
import { isAlias, visit, type Document, type LineCounter } from 'yaml';
import { findBadText } from './text.ts';

export type YamlValue = { ok: true; value: unknown } | { ok: false; message: string; line?: number; path: (string | number)[] };

export function yamlValue(doc: Document, lines: LineCounter): YamlValue {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    return { ok: false, message, line: aliasLine(doc, lines, /unresolved alias/i.test(message)), path: [] };
  }
  const bad = findBadText(value);
  if (bad) {
    const node = doc.getIn(bad.path, true) as { range?: [number, number, number] } | undefined;
    return { ok: false, message: bad.key ? `a key ${bad.problem}` : bad.problem, line: node?.range ? lines.linePos(node.range[0]).line : undefined, path: bad.path };
  }
  return { ok: true, value };
}

/** The line of the first alias that resolves to nothing (or, `unresolvedOnly` false, of the first alias at all). */
function aliasLine(doc: Document, lines: LineCounter, unresolvedOnly: boolean): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (line !== undefined || !isAlias(node)) return visit.BREAK;
      if (unresolvedOnly && node.resolve(doc) !== undefined) return undefined;
      if (node.range) line = lines.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}
