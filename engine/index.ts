export { createEngine, type Engine, type EngineOptions } from './engine.ts';
export { EngineError, type EngineErrorCode } from './engine-errors.ts';
export { computeScore, type ScoreRules } from './score.ts';
export { staleAfter } from './operators/stale-after.ts';
export { alertLifecycle, type AlertSpec } from './operators/alert-lifecycle.ts';
export { siteScore } from './operators/site-score.ts';
