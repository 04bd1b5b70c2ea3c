/**
 * An Atom feed (RFC 4287) of CAP documents: one entry per alert, its latest message embedded
 * as the entry's content (application/cap+xml), newest first.
 */
import { create } from 'xmlbuilder2';
import { CAP_MEDIA_TYPE } from './cap-document.ts';

export interface FeedEntry {
  identifier: string;
  sent: number;
  site: string;
  title: string;
  summary?: string;
  /** the CAP document */
  xml: string;
}

export interface FeedOptions {
  /** the feed's own URL */
  selfUrl: string;
  title: string;
  /** when no entry is newer */
  now: number;
  author?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function buildAtomFeed(entries: readonly FeedEntry[], options: FeedOptions): string {
  const sorted = [...entries].sort((a, b) => b.sent - a.sent);
  const feed = create({ version: '1.0', encoding: 'UTF-8' }).ele('http://www.w3.org/2005/Atom', 'feed');
  feed.ele('id').txt(options.selfUrl);
  feed.ele('title').txt(options.title);
  feed.ele('updated').txt(iso(sorted[0]?.sent ?? options.now));
  feed
    .ele('author')
    .ele('name')
    .txt(options.author ?? 'ketwin');
  feed.ele('link', { rel: 'self', href: options.selfUrl, type: 'application/atom+xml' });
  for (const e of sorted) {
    const entry = feed.ele('entry');
    entry.ele('id').txt(`urn:cap:${e.identifier}`);
    entry.ele('title').txt(e.title);
    entry.ele('updated').txt(iso(e.sent));
    entry.ele('category', { term: e.site, label: 'site' });
    if (e.summary) entry.ele('summary').txt(e.summary);
    entry.ele('content', { type: CAP_MEDIA_TYPE }).import(create(e.xml));
  }
  return feed.end({ prettyPrint: true });
}
