import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Alert, IncidentDetails } from '../../model/index.ts';
import { EngineError } from '../engine-errors.ts';
import { createAlarmBook, type AlarmSpec } from './alarm-book.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const fire: IncidentDetails = {
  hazard: 'tank-fire',
  zones: { type: 'FeatureCollection', features: [] },
  affected: ['T1'],
  inventory: [],
  countdowns: [{ kind: 'cooling', label: { zh: '冷却', en: 'Cool T1' }, deadline: 5 * MIN }],
};
const incident: AlarmSpec = {
  kind: 'hazard-tank-fire',
  severity: 1,
  message: { zh: 'T1 火灾', en: 'T1 fire' },
  actions: [],
  subjects: ['T1'],
  standard: 'std@1.0.0',
  incident: fire,
};
const sev1: AlarmSpec = { kind: 'level-hh', severity: 1, message: { zh: '高高', en: 'HH' }, actions: [], subjects: ['T1'], clause: 'HH', standard: 'std@1.0.0' };
const sev3: AlarmSpec = { kind: 'level-h', severity: 3, message: { zh: '高', en: 'H' }, actions: [], subjects: ['T1'], clause: 'H', standard: 'std@1.0.0' };
const FIRE = 'hazard\u0000tank-fire\u0000T1';

/** A book as the 1.0.0 standard sets it: severity 1 and incidents never shelved, incidents clear after 30 s. */
function withBook(body: (book: ReturnType<typeof createAlarmBook>, s: TestScheduler, emitted: Alert[]) => void) {
  const s = new TestScheduler((a, b) => expect(a).toEqual(b));
  const emitted: Alert[] = [];
  s.run(() => {
    const book = createAlarmBook({
      site: 's',
      scheduler: s,
      maxShelveMs: 480 * MIN,
      neverShelve: { severities: [1], incidents: true },
      incidentDelayOffMs: 30 * SEC,
      emit: (a) => emitted.push(a),
    });
    body(book, s, emitted);
  });
}
const refusal = (command: () => unknown): EngineError => {
  try {
    command();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('the command was accepted');
};
const trail = (emitted: Alert[]) => emitted.map((a) => [a.transition!.at, a.transition!.action, a.state, a.lifecycle!.condition]);

describe('what is never shelved nor suppressed (ISA-18.2 where it matters)', () => {
  it('refuses to shelve a severity-1 alarm or an incident, with the reason; a severity-3 alarm shelves and shows who and until when', () => {
    withBook((book) => {
      book.condition(FIRE, incident, true, 0);
      book.condition('HH\u0000T1', sev1, true, 0);
      book.condition('H\u0000T1', sev3, true, 0);
      const fireRefused = refusal(() => book.shelve('s:hazard:tank-fire:T1:0', 'li', 10 * MIN, 'nuisance'));
      expect(fireRefused.code).toBe('ENGINE_NOT_SHELVABLE');
      expect(fireRefused.message).toContain('tank-fire incident is never shelved');
      expect(refusal(() => book.shelve('s:HH:T1:0', 'li', 10 * MIN, 'nuisance')).message).toContain('severity-1 alarm is never shelved');
      // the screens read why from the alarm itself, so none offers the button
      expect(book.get('s:hazard:tank-fire:T1:0')!.lifecycle!.neverShelve).toContain('never shelved');
      expect(book.get('s:HH:T1:0')!.lifecycle!.neverShelve).toContain('severity-1');
      expect(book.get('s:H:T1:0')!.lifecycle!.neverShelve).toBeUndefined();
      const shelved = book.shelve('s:H:T1:0', 'li', 10 * MIN, 'gauge being recalibrated');
      expect(shelved.lifecycle!.shelved).toEqual({ by: 'li', until: 10 * MIN, reason: 'gauge being recalibrated' });
      expect(shelved.state).toBe('shelved');
    });
  });

  it('refuses to suppress an asset holding an open incident; an incident raised on a suppressed asset stays in view', () => {
    withBook((book) => {
      book.condition(FIRE, incident, true, 0);
      expect(refusal(() => book.suppress('T1', 'li', 'out of service')).code).toBe('ENGINE_NOT_SHELVABLE');
      expect(book.isSuppressed('T1')).toBe(false);
    });
    withBook((book) => {
      book.suppress('T1', 'li', 'out of service for cleaning');
      book.condition('H\u0000T1', sev3, true, 0);
      book.condition(FIRE, incident, true, 0);
      expect(book.get('s:H:T1:0')!.state).toBe('shelved');
      expect(book.get('s:hazard:tank-fire:T1:0')!.state).toBe('active');
      expect(book.get('s:hazard:tank-fire:T1:0')!.lifecycle!.suppressed).toBeUndefined();
    });
  });
});

describe('the incident follows its condition', () => {
  it('awaits closing once the condition has stayed clear for its delay-off: no countdowns; a person closes it with a comment', () => {
    withBook((book, s, emitted) => {
      book.condition(FIRE, incident, true, 0);
      s.schedule(() => book.acknowledge('s:hazard:tank-fire:T1:0', 'wang', 'cooling started'), 1 * MIN);
      s.schedule(() => book.condition(FIRE, undefined, false, s.now()), 10 * MIN);
      s.schedule(
        () => {
          // still within the delay-off: the fire may flare up again
          expect(book.get('s:hazard:tank-fire:T1:0')!.lifecycle!.condition).toBe('active');
          expect(refusal(() => book.close('s:hazard:tank-fire:T1:0', 'wang', 'out')).code).toBe('ENGINE_ALERT_STATE');
        },
        10 * MIN + 29 * SEC,
      );
      s.schedule(() => {
        const waiting = book.get('s:hazard:tank-fire:T1:0')!;
        expect(waiting.state).toBe('acknowledged'); // returned and acknowledged, yet not cleared: it awaits a person
        expect(waiting.incident!.countdowns).toEqual([]);
        expect(refusal(() => book.close('s:hazard:tank-fire:T1:0', 'wang', ' ')).code).toBe('ENGINE_BAD_COMMAND');
        book.close('s:hazard:tank-fire:T1:0', 'wang', 'fire out, foam blanket kept, T1 cooled');
      }, 12 * MIN);
      s.flush();
      expect(trail(emitted)).toEqual([
        [0, 'raise', 'active', 'active'],
        [1 * MIN, 'acknowledge', 'acknowledged', 'active'],
        [10 * MIN + 30 * SEC, 'return', 'acknowledged', 'returned'],
        [12 * MIN, 'close', 'cleared', 'returned'],
      ]);
      expect(emitted[2]!.transition!.comment).toBe('condition cleared, awaiting close');
      expect(emitted[3]!.transition).toMatchObject({ by: 'wang', comment: 'fire out, foam blanket kept, T1 cooled' });
      expect(book.open()).toEqual([]);
    });
  });

  it('a flare-up within the delay-off changes nothing; a condition that returns after it reopens the same incident', () => {
    withBook((book, s, emitted) => {
      book.condition(FIRE, incident, true, 0);
      s.schedule(() => book.condition(FIRE, undefined, false, s.now()), 1 * MIN);
      s.schedule(() => book.condition(FIRE, incident, true, s.now()), 1 * MIN + 10 * SEC);
      s.schedule(() => book.condition(FIRE, undefined, false, s.now()), 2 * MIN);
      s.schedule(() => book.condition(FIRE, incident, true, s.now()), 5 * MIN);
      s.flush();
      expect(trail(emitted)).toEqual([
        [0, 'raise', 'active', 'active'],
        [2 * MIN + 30 * SEC, 'return', 'active', 'returned'],
        [5 * MIN, 'raise', 'active', 'active'],
      ]);
      expect(new Set(emitted.map((a) => a.id))).toEqual(new Set(['s:hazard:tank-fire:T1:0']));
      expect(emitted[2]!.transition!.comment).toContain('reopened');
      expect(emitted[2]!.incident!.countdowns).toHaveLength(1);
    });
  });

  it('closing refuses what is not an incident: an alarm clears by its condition and an acknowledgement', () => {
    withBook((book) => {
      book.condition('H\u0000T1', sev3, true, 0);
      book.condition('H\u0000T1', undefined, false, 1000);
      expect(refusal(() => book.close('s:H:T1:0', 'wang', 'done')).code).toBe('ENGINE_ALERT_STATE');
      expect(book.acknowledge('s:H:T1:0', 'wang', 'checked').state).toBe('cleared');
    });
  });
});
