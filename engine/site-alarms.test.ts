// A site's alarms on their own: clause verdicts raising and returning their alarms, the latch
// released by an acknowledgement, restored alerts, and timers ending with the part.
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadSite, type Alert, type ClauseResult, type Verdict } from '../model/index.ts';
import { loadStandard, parseStandard, type Standard } from '../standards/index.ts';
import { createSiteHealths } from './alarms/alarm-health.ts';
import { createSiteAlarms } from './site-alarms.ts';
import { compileSiteClauses } from './site-clauses.ts';

const root = new URL('../', import.meta.url).pathname;
const STANDARD_FILE = `${root}standards/oil-depot-above-ground/1.0.0.yaml`;
const site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standard = await loadStandard(STANDARD_FILE);
const HH = 'GB50074-15.1.2-HH';
const IDENTIFICATION = 'GB18218-2018-IDENTIFICATION';
const MIN = 60_000;

/** the site's alarms on `s`, with what they publish */
function alarmsOn(s: TestScheduler, std: Standard = standard) {
  const context = {
    siteId: site.id,
    standard: std,
    cel: std.cel.toCel(site),
    points: new Map(),
    cells: new Map(),
    assetsOfKind: new Map(),
    logger: pino({ level: 'silent' }),
    now: 0,
  };
  const { named } = compileSiteClauses(site, std, context);
  const published: Alert[] = [];
  const log: string[] = [];
  const healths = createSiteHealths(s, () => undefined);
  const health = healths.of(site.id, std)!;
  const alarms = createSiteAlarms({ site, standard: std, scheduler: s, named, health, publish: (a) => (published.push(a), log.push(`publish ${a.transition?.action}`)) });
  return { alarms, published, log, health, healths };
}
/** T201's high-high verdict (set-point 16.2 m) at `level` */
const hh = (verdict: Verdict, since: number, level = 16.5): ClauseResult => ({
  site: site.id,
  clause: HH,
  subject: 'T201',
  verdict,
  since,
  evidence: [{ point: 'T201.level', value: level, quality: verdict === 'unknown' ? 'bad' : 'good', ts: since }],
  thresholds: { 'asset.levelHighHigh': 16.2 },
  standard: standard.key,
});
const run = (body: (s: TestScheduler) => void) => {
  const s = new TestScheduler((a, b) => expect(a).toEqual(b));
  s.run(() => body(s));
};

describe('site alarms', () => {
  it("raises a failing clause's alarm worded from its templates, holds it on unknown, returns it on pass", () => {
    run((s) => {
      const { alarms, published } = alarmsOn(s);
      alarms.onResult(hh('fail', 1000));
      alarms.onResult(hh('unknown', 2000));
      alarms.onResult(hh('pass', 3000, 15));
      expect(published.map((a) => [a.transition?.action, a.changedAt, a.lifecycle?.condition])).toEqual([
        ['raise', 1000, 'active'],
        ['return', 3000, 'returned'],
      ]);
      expect(published[0]).toMatchObject({ id: `${site.id}:${HH}:T201:1000`, kind: 'overfill', severity: 1, subjects: ['T201'], clause: HH, standard: standard.key });
      expect(published[0]!.message.en).toContain('16.5 m');
      expect(published[0]!.message.en).toContain('16.2 m');
      expect(published[0]!.message.zh).toContain(site.assets.find((a) => a.id === 'T201')!.name.zh);
      alarms.dispose();
    });
  });

  it('raises nothing for a clause without an alert', () => {
    run((s) => {
      const { alarms, published } = alarmsOn(s);
      alarms.onResult({ ...hh('fail', 1000), clause: IDENTIFICATION, subject: site.id });
      expect(published).toEqual([]);
      alarms.dispose();
    });
  });

  it("releases a latched clause on its alarm's acknowledgement, once the acknowledgement has gone out", () => {
    run((s) => {
      const { alarms, log } = alarmsOn(s, withLatchOn(HH));
      alarms.latchReset(HH, 'T201').subscribe(() => log.push(`reset at ${s.now()}`));
      alarms.onResult(hh('fail', 0));
      s.schedule(() => {
        alarms.book.acknowledge(alarms.book.open()[0]!.id, 'operator', 'inlet closed');
        log.push('acknowledged');
      }, 5000);
      s.schedule(() => alarms.dispose(), 6000);
      s.flush();
      expect(log).toEqual(['publish raise', 'publish acknowledge', 'acknowledged', 'reset at 5000']);
    });
  });

  it('takes back the open alerts of its own site, into the book and the health figures', () => {
    run((s) => {
      const stored: Alert = {
        id: `${site.id}:${HH}:T201:0`,
        site: site.id,
        kind: 'overfill',
        severity: 1,
        state: 'active',
        raisedAt: 0,
        changedAt: 0,
        subjects: ['T201'],
        message: { zh: 'T201', en: 'T201' },
        actions: [],
        clause: HH,
        standard: standard.key,
        lifecycle: { condition: 'active', acknowledged: false, escalations: 0 },
      };
      const { alarms, published, health } = alarmsOn(s);
      s.schedule(
        () => {
          alarms.restore([stored, { ...stored, id: `elsewhere:${HH}:T201:0`, site: 'elsewhere' }]);
          expect(alarms.book.open().map((a) => a.id)).toEqual([stored.id]);
          expect(health.figures().standing.map((a) => a.id)).toEqual([stored.id]);
          // its condition comes back: the same alarm, no duplicate
          alarms.onResult(hh('fail', s.now()));
          expect(alarms.book.open()).toHaveLength(1);
          expect(published.filter((a) => a.transition?.action === 'raise')).toEqual([]);
          alarms.dispose();
        },
        25 * 60 * MIN,
      ); // standing after a day
    });
  });

  it('escalates an unacknowledged alarm on the scheduler until disposed, and not after', () => {
    run((s) => {
      const { alarms, published } = alarmsOn(s);
      alarms.onResult(hh('fail', 0));
      s.schedule(() => alarms.dispose(), 6 * MIN); // severity 1 escalates after 5 min
      s.schedule(() => undefined, 60 * MIN);
      s.flush();
      expect(published.map((a) => [a.transition?.action, a.changedAt])).toEqual([
        ['raise', 0],
        ['escalate', 5 * MIN],
      ]);
    });
  });
});

/** oil-depot-above-ground 1.0.0 with `latch: true` on one clause */
function withLatchOn(clauseId: string): Standard {
  const doc = parseDocument(readFileSync(STANDARD_FILE, 'utf8'));
  const clauses = doc.toJS().clauses as { id: string }[];
  doc.setIn(['clauses', clauses.findIndex((c) => c.id === clauseId), 'latch'], true);
  return parseStandard(doc.toString(), STANDARD_FILE);
}
