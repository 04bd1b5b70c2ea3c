/**
 * Text that no database column or JSON document can hold faithfully: a NUL, or a UTF-16 surrogate
 * without its partner. Refused wherever text comes in (API bodies, site and standard files);
 * a device's text is marked bad instead.
 */
// eslint-disable-next-line no-control-regex -- NUL is what PostgreSQL text cannot store
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with `text`, or undefined when it may be stored. */
export function textProblem(text: string): string | undefined {
  const found = BAD_TEXT.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000' ? 'must not contain the NUL character (U+0000)' : 'must not contain a lone UTF-16 surrogate';
}

/** The first string in `value` (object keys included) that may not be stored: its path and the problem. */
export function findBadText(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; key?: true; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem === undefined ? undefined : { path, problem };
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadText(value[i], [...path, i]);
      if (bad) return bad;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const keyProblem = textProblem(key);
    if (keyProblem !== undefined) return { path, key: true, problem: keyProblem };
    const bad = findBadText(item, [...path, key]);
    if (bad) return bad;
  }
  return undefined;
}
