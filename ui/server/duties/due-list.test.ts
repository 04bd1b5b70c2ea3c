import { describe, expect, it } from 'vitest';
import type { ClauseInfo, ClauseResult, Site, SiteSnapshot } from '../../../model/index.ts';
import { siteDueItems } from './due-list.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-07T02:00:00Z');
const site = { id: 's', name: { zh: '站', en: 'Site' } } as Site;
const info = (id: string, check: ClauseInfo['check'] = 'evidence'): ClauseInfo => ({
  id,
  title: { zh: id, en: id },
  requirement: { zh: '', en: '' },
  source: { standard: 'ORDER40', clause: 'Art. 21' },
  confidence: 'confirmed',
  category: 'drills',
  severity: 3,
  weight: 1,
  appliesTo: 'site',
  check,
  standard: 'x@1',
});
const verdict = (clause: string, v: ClauseResult['verdict'], date?: string, validUntil?: string, subject = 's'): ClauseResult => ({
  site: 's',
  clause,
  subject,
  verdict: v,
  since: 0,
  standard: 'x@1',
  thresholds: { validFor: 'P6M', kind: clause },
  evidence: [{ point: `record:${clause}`, value: date ? { date, validUntil } : null, quality: date ? 'good' : 'bad', ts: 0 }],
});
const snapshot = (results: ClauseResult[]): SiteSnapshot => ({ site: 's', score: undefined, results, alerts: [], values: {} });

describe('the due list of a site', () => {
  it('overdue (expired or never done) first, then failing, then due within 30 days, then in date; each by due date', () => {
    const items = siteDueItems(
      site,
      snapshot([
        verdict('in-date', 'pass', '2026-10-01', '2027-04-01'),
        verdict('soon', 'pass', '2026-06-20', '2026-12-20'),
        verdict('expired', 'fail', '2026-03-12', '2026-09-12'),
        verdict('never', 'fail'),
        verdict('no-report', 'fail', '2026-11-01', '2027-05-01'),
        verdict('live-clause', 'fail', '2026-03-12', '2026-09-12'),
        verdict('n-a', 'not-applicable'),
      ]),
      [info('in-date'), info('soon'), info('expired'), info('never'), info('no-report'), info('live-clause', 'live'), info('n-a')],
      NOW,
    );
    expect(items.map((i) => [i.clause, i.status])).toEqual([
      ['never', 'overdue'],
      ['expired', 'overdue'],
      ['no-report', 'failing'],
      ['soon', 'due-soon'],
      ['in-date', 'ok'],
    ]);
    expect(items.find((i) => i.clause === 'expired')).toMatchObject({ lastDone: '2026-03-12', dueAt: Date.parse('2026-09-12T00:00:00Z'), daysLeft: -86 });
    expect(items.find((i) => i.clause === 'soon')?.daysLeft).toBe(13);
    expect(items[0]!.dueAt).toBeUndefined();
  });

  it('the window is the caller’s: a duty 13 days ahead is not due soon within 7', () => {
    const items = siteDueItems(site, snapshot([verdict('soon', 'pass', '2026-06-20', '2026-12-20')]), [info('soon')], NOW, 7);
    expect(items[0]?.status).toBe('ok');
    expect(siteDueItems(site, snapshot([verdict('soon', 'pass', '2026-06-20', '2026-12-20')]), [info('soon')], NOW + 14 * DAY)[0]?.status).toBe('overdue');
  });

  it('a figure the twin measures, with no record yet, is not measured yet (unknown) — not never done — and names its first hour', () => {
    const started = Date.parse('2026-12-07T01:20:30Z'); // 09:20:30 in Shanghai
    const unmeasured: ClauseResult = {
      ...verdict('MEM-DQ-ONLINE-RATE', 'unknown'),
      since: started,
      thresholds: { validFor: 'P2D', kind: 'data-quality-day' },
      reason: { zh: '尚未测得', en: 'not measured yet: data-quality-day is measured by the running twin' },
    };
    const items = siteDueItems(
      { ...site, timeZone: 'Asia/Shanghai' },
      snapshot([verdict('never', 'fail'), unmeasured]),
      [info('never'), info('MEM-DQ-ONLINE-RATE')],
      started + 60_000,
    );
    expect(items.map((i) => [i.clause, i.status])).toEqual([
      ['never', 'overdue'],
      ['MEM-DQ-ONLINE-RATE', 'not-measured'],
    ]);
    // an hour watched from 09:20:30 first counts at 11:00 (10:20:30 is mid-hour)
    expect(items[1]).toMatchObject({ expectedBy: Date.parse('2026-12-07T03:00:00Z'), reason: unmeasured.reason });
    expect(items[1]!.lastDone).toBeUndefined();
  });
});
