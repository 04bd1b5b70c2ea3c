import type { AlarmHealth } from './alarm-health.ts';
import type { Alert, ClauseResult, SiteScore } from './results.ts';
import type { Sample } from './sample.ts';
import type { EvidenceRecord } from './site-sections.ts';

export type LiveEvent =
  | { type: 'result'; data: ClauseResult }
  | { type: 'score'; data: SiteScore }
  | { type: 'alert'; data: Alert }
  | { type: 'sample'; data: Sample }
  | { type: 'health'; data: AlarmHealth }
  /** a record the twin measured (a valve's stroke, a day's online rate), to be kept with the site's evidence */
  | { type: 'evidence'; data: { site: string; record: EvidenceRecord } };

/** What a site's live event stream carries: everything (`full`), or what the rescue page needs on a phone (`light`). */
export const STREAM_MODES = ['full', 'light'] as const;
export type StreamMode = (typeof STREAM_MODES)[number];
