import type { AlarmHealth } from './alarm-health.ts';
import type { Alert, ClauseResult, SiteScore } from './results.ts';
import type { Sample } from './sample.ts';

export type LiveEvent =
  | { type: 'result'; data: ClauseResult }
  | { type: 'score'; data: SiteScore }
  | { type: 'alert'; data: Alert }
  | { type: 'sample'; data: Sample }
  | { type: 'health'; data: AlarmHealth };
