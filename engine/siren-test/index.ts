export { createSirenTestWatchers, sirenTestClause, SIREN_TEST_KIND } from './siren-test-watchers.ts';
export { judgeSirenTest, type SirenPattern, type SirenSignal, type SirenTestJudgement, type SirenTestOutcome, type SoundingSpan } from './siren-pattern.ts';
export { nextTestWindow, parseTestDay, parseTestHours, type TestDay, type TestHours, type TestWindow } from './test-window.ts';
