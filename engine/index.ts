export { createEngine, type Engine, type EngineOptions } from './engine.ts';
export { EngineError, type EngineErrorCode } from './engine-errors.ts';
export { computeScore, type ScoreRules } from './score.ts';
export { siteScore } from './operators/site-score.ts';
export { replay, resultsAsOf, createVirtualClock, feedSamples, type ReplayInput, type ReplayOutput, type VirtualClock } from './replay.ts';
export { summaryState } from './alarms/alarm-state.ts';
export type { AlarmSpec } from './alarms/alarm-book.ts';
export { planToWgs84, circleRing, type PlanPoint } from './hazards/geo.ts';
export { poolFlame, rimSealFlame, radiationZones, shellFlux, flameFlux, type SolidFlame, type RadiationZone } from './hazards/tank-fire-radiation.ts';
export {
  lightningHistoryPoints,
  lightningReviewClause,
  lightningReviewRecord,
  reviewLightningWarnings,
  warningSpans,
  LIGHTNING_ALERT_KIND,
  LIGHTNING_REVIEW_KIND,
  type LightningHistory,
  type LightningReview,
  type LightningReviewParams,
} from './lightning-review.ts';
export { createShadowTwin, type ShadowTwin, type ShadowTwinOptions, type InjectedSamples } from './exercise/shadow-twin.ts';
