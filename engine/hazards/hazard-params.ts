import type { HazardDefinition } from '../../standards/index.ts';
import { EngineError } from '../engine-errors.ts';

/** Reads a hazard's parameters by name and shape; a missing or ill-shaped one is a configuration error. */
export function hazardParams(hazard: string, definition: HazardDefinition) {
  const raw = (name: string) => {
    const param = definition.params[name];
    if (!param) throw new EngineError('ENGINE_HAZARD_PARAM', `hazard ${hazard} needs the parameter ${name} in the standard`);
    return param.value;
  };
  return {
    /** an optional parameter: present in the standard */
    has(name: string): boolean {
      return definition.params[name] !== undefined;
    },
    number(name: string): number {
      const v = raw(name);
      if (typeof v !== 'number') throw new EngineError('ENGINE_HAZARD_PARAM', `hazard ${hazard}: ${name} must be a number`);
      return v;
    },
    list(name: string): number[] {
      const v = raw(name);
      if (!Array.isArray(v)) throw new EngineError('ENGINE_HAZARD_PARAM', `hazard ${hazard}: ${name} must be a list of numbers`);
      return v;
    },
    table(name: string): Record<string, number> {
      const v = raw(name);
      if (typeof v === 'number' || Array.isArray(v)) throw new EngineError('ENGINE_HAZARD_PARAM', `hazard ${hazard}: ${name} must be a table by name`);
      return v;
    },
  };
}
