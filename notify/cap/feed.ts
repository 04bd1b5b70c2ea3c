/** The CAP feed of the sites a reader may see, from the latest message of each alert. */
import { EXERCISE_MARK } from '../../model/index.ts';
import type { JournalState } from '../journal.ts';
import { buildAtomFeed } from './atom-feed.ts';

export interface CapFeedRequest {
  /** the sites to include */
  sites: readonly string[];
  /** the feed's own URL */
  selfUrl: string;
  title?: string;
}

export function capFeedOf(state: JournalState, request: CapFeedRequest, now: number, keepMs: number, limit = 200): string {
  const sites = new Set(request.sites);
  const entries = Object.values(state.latest)
    .filter((l) => sites.has(l.site) && (l.msgType !== 'Cancel' || now - l.sent <= keepMs) && state.docs[l.capDoc] !== undefined)
    .sort((a, b) => b.sent - a.sent)
    .slice(0, limit)
    .map((l) => ({
      identifier: l.identifier,
      sent: l.sent,
      site: l.site,
      // an exercise's headline begins with its mark (cap-issuer.ts); one from before it did is marked here
      title: `${l.status === 'Exercise' && !l.headline.en.startsWith(EXERCISE_MARK.en) ? EXERCISE_MARK.en : ''}${l.headline.en} / ${l.headline.zh}`,
      summary: `${l.msgType} (${l.status})`,
      xml: state.docs[l.capDoc]!,
    }));
  return buildAtomFeed(entries, { selfUrl: request.selfUrl, title: request.title ?? 'ketwin CAP alerts / 预警信息', now });
}

/** Forgets alerts whose Cancel (or last message) is older than `keepMs` and that nothing is delivering. */
export function pruneClosed(state: JournalState, now: number, keepMs: number): void {
  for (const [alertId, latest] of Object.entries(state.latest)) {
    const escalation = state.escalations[alertId];
    const over = latest.msgType === 'Cancel' ? now - latest.sent > keepMs : escalation?.closed === true && now - latest.sent > keepMs;
    if (!over) continue;
    delete state.latest[alertId];
    delete state.references[alertId];
    delete state.escalations[alertId];
  }
}
