export type { Standard } from './standard.ts';
export type { CompiledClause, CelProgram, ReadType } from './clause-compiler.ts';
export type { CelModel, CelObject } from './cel-model.ts';
export type { StandardDefinition, ClauseDefinition, ParamDefinition, AlertDefinition } from './standard-schema.ts';
export { StandardError, type StandardErrorCode, type StandardIssue } from './standard-errors.ts';
export { loadStandard, loadStandards, parseStandard } from './standard-loader.ts';
export { clauseInfo } from './clause-info.ts';
export { renderTemplate, placeholders } from './templates.ts';
