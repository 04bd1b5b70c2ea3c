import type { z } from 'zod';
import { ClientError } from '../errors.ts';

/** Parses `input` with `schema`, or throws a 400 whose message names the field: `query.from: expected a number`. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, where: 'query' | 'body' | 'path'): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 5).map((issue) => {
    const field = [where, ...issue.path.map(String)].join('.');
    return `${field}: ${issue.message}`;
  });
  throw new ClientError(400, 'bad-request', problems.join('; '));
}
