import { ClientError } from '../errors.ts';

/** A NUL, or a UTF-16 surrogate without its partner: text no database column or JSON document can hold faithfully. */
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with `text`, or undefined when it may be stored. */
export function textProblem(text: string): string | undefined {
  const found = BAD_TEXT.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000' ? 'must not contain the NUL character (U+0000)' : 'must not contain a lone UTF-16 surrogate';
}

/** The first string in `value` (keys included) that may not be stored, with its dotted path. */
export function findBadText(value: unknown, path: string): { field: string; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem === undefined ? undefined : { field: path, problem };
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadText(value[i], `${path}.${i}`);
      if (bad) return bad;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const keyProblem = textProblem(key);
    if (keyProblem !== undefined) return { field: `${path} (a key)`, problem: keyProblem };
    const bad = findBadText(item, `${path}.${key}`);
    if (bad) return bad;
  }
  return undefined;
}

/** Refuses input holding NUL or a lone surrogate with a 400 naming the field: `body.comment: must not contain …`. */
export function refuseBadText(value: unknown, where: 'query' | 'body' | 'path'): void {
  const bad = findBadText(value, where);
  if (bad) throw new ClientError(400, 'bad-request', `${bad.field}: ${bad.problem}`);
}
