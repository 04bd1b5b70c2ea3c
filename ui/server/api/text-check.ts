import { findBadText as findInValue, textProblem } from '../../../model/index.ts';
import { ClientError } from '../errors.ts';

export { textProblem };

/** The first string in `value` (keys included) that may not be stored (model/text.ts), with its dotted path. */
export function findBadText(value: unknown, path: string): { field: string; problem: string } | undefined {
  const bad = findInValue(value);
  if (!bad) return undefined;
  const field = [path, ...bad.path.map(String)].join('.');
  return { field: bad.key ? `${field} (a key)` : field, problem: bad.problem };
}

/** Refuses input holding NUL or a lone surrogate with a 400 naming the field: `body.comment: must not contain …`. */
export function refuseBadText(value: unknown, where: 'query' | 'body' | 'path'): void {
  const bad = findBadText(value, where);
  if (bad) throw new ClientError(400, 'bad-request', `${bad.field}: ${bad.problem}`);
}
