import type { CelModel } from './cel-model.ts';
import type { CompiledClause } from './clause-compiler.ts';
import type { StandardDefinition } from './standard-schema.ts';

/** A loaded standard: its data, every expression parsed and type-checked. */
export interface Standard extends Omit<StandardDefinition, 'clauses'> {
  /** "<id>@<version>", recorded with every verdict */
  key: string;
  /** the file it was loaded from */
  file: string;
  clauses: CompiledClause[];
  /** the CEL types the expressions were checked against; evaluate with values from here */
  cel: CelModel;
}
