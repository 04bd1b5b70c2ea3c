import { JSON_FIELD_PATTERN } from '../../model/site-mqtt.ts';
import { CollectorError } from '../source.ts';

/** Reads one field of a parsed JSON payload; `undefined` when the payload has no such field. */
export type JsonFieldReader = (payload: unknown) => unknown;

/**
 * Compiles a field path of the site file (`level`, `data.level`, `values[0].v`, `$.data.level`; `$` the
 * whole payload) into a reader. The grammar is the schema's own (model/site-mqtt.ts); a path outside it
 * is a configuration error naming the place.
 */
export function compileJsonField(path: string, where: string): JsonFieldReader {
  if (!JSON_FIELD_PATTERN.test(path))
    throw new CollectorError('COLLECTOR_CONFIG', `${where}: ${JSON.stringify(path)} is not a JSON field such as level, data.level or values[0].v`);
  if (path === '$') return (payload) => payload;
  const steps: (string | number)[] = [];
  for (const part of path.replace(/^\$\./, '').split('.')) {
    const name = /^[^[]+/.exec(part)![0];
    steps.push(name);
    for (const index of part.slice(name.length).matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return (payload) => {
    let at: unknown = payload;
    for (const step of steps) {
      if (typeof step === 'number') {
        if (!Array.isArray(at)) return undefined;
        at = at[step];
      } else {
        if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, step)) return undefined;
        at = (at as Record<string, unknown>)[step];
      }
    }
    return at;
  };
}
