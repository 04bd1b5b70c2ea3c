import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../model/index.ts';
import { EngineError } from '../engine-errors.ts';
import { createAlarmBook, type AlarmSpec } from './alarm-book.ts';

const spec: AlarmSpec = { kind: 'overfill', severity: 1, message: { zh: '冒罐', en: 'overfill' }, actions: [], subjects: ['T1'], clause: 'HH', standard: 'std@1.0.0' };
const MIN = 60_000;

/** Runs `body` on virtual time with a book that escalates severity 1 after 5 min and shelves for at most 8 h. */
function withBook(body: (book: ReturnType<typeof createAlarmBook>, s: TestScheduler, emitted: Alert[]) => void) {
  const s = new TestScheduler((a, b) => expect(a).toEqual(b));
  const emitted: Alert[] = [];
  s.run(() => {
    s.maxFrames = 30 * MIN; // unacknowledged alarms escalate for ever: stop the clock
    const book = createAlarmBook({
      site: 's',
      scheduler: s,
      escalateAfterMs: { 1: 5 * MIN, 2: 15 * MIN, 3: 30 * MIN, 4: 60 * MIN },
      maxShelveMs: 480 * MIN,
      emit: (a) => emitted.push(a),
    });
    body(book, s, emitted);
  });
}
const trail = (emitted: Alert[]) => emitted.map((a) => [a.transition!.at, a.transition!.action, a.state]);

describe('alarm book (ISA-18.2 lifecycle)', () => {
  it('escalates an unacknowledged alarm every 5 min and stops once acknowledged', () => {
    withBook((book, s, emitted) => {
      book.condition('HH\u0000T1', spec, true, 0);
      s.schedule(() => book.acknowledge('s:HH:T1:0', 'wang', 'stopping the transfer'), 12 * MIN);
      s.flush();
      expect(trail(emitted)).toEqual([
        [0, 'raise', 'active'],
        [5 * MIN, 'escalate', 'active'],
        [10 * MIN, 'escalate', 'active'],
        [12 * MIN, 'acknowledge', 'acknowledged'],
      ]);
      expect(emitted.at(-1)!.lifecycle).toEqual({ condition: 'active', acknowledged: true, escalations: 2 });
      expect(emitted.at(-1)!.transition).toEqual({ at: 12 * MIN, by: 'wang', action: 'acknowledge', comment: 'stopping the transfer' });
    });
  });
  it('lists the open alerts anew only when one changes (the live risk is worked out again only then)', () => {
    withBook((book) => {
      book.condition('HH\u0000T1', spec, true, 0);
      const first = book.open();
      book.condition('HH\u0000T1', spec, true, 500); // the condition holds: nothing changed
      expect(book.open()).toBe(first);
      book.condition('HH\u0000T1', undefined, false, 1000);
      const returned = book.open();
      expect(returned).not.toBe(first);
      expect(returned[0]!.lifecycle!.condition).toBe('returned');
      book.acknowledge('s:HH:T1:0', 'wang', 'checked');
      expect(book.open()).toEqual([]);
    });
  });
  it('keeps a returned alarm visible until acknowledged, then clears it; a new failure raises a new alarm', () => {
    withBook((book, s, emitted) => {
      book.condition('HH\u0000T1', spec, true, 0);
      book.condition('HH\u0000T1', undefined, false, 1000);
      expect(book.open()).toHaveLength(1);
      book.acknowledge('s:HH:T1:0', 'wang', 'checked');
      expect(book.open()).toHaveLength(0);
      book.condition('HH\u0000T1', spec, true, 2000);
      expect(trail(emitted)).toEqual([
        [0, 'raise', 'active'],
        [1000, 'return', 'active'],
        [0, 'acknowledge', 'cleared'],
        [2000, 'raise', 'active'],
      ]);
      expect(emitted.at(-1)!.id).toBe('s:HH:T1:2000');
    });
  });
  it('re-alarms the same alarm when the condition comes back before acknowledgement', () => {
    withBook((book, _s, emitted) => {
      book.condition('HH\u0000T1', spec, true, 0);
      book.condition('HH\u0000T1', undefined, false, 1000);
      book.condition('HH\u0000T1', spec, true, 3000);
      expect(emitted.map((a) => [a.id, a.transition!.action, a.lifecycle!.condition])).toEqual([
        ['s:HH:T1:0', 'raise', 'active'],
        ['s:HH:T1:0', 'return', 'returned'],
        ['s:HH:T1:0', 'raise', 'active'],
      ]);
    });
  });
  it('shelves for a time by a named person and unshelves itself on the scheduler; no escalation while shelved', () => {
    withBook((book, s, emitted) => {
      book.condition('HH\u0000T1', spec, true, 0);
      book.shelve('s:HH:T1:0', 'li', 20 * MIN, 'level gauge under repair');
      s.flush();
      expect(trail(emitted)).toEqual([
        [0, 'raise', 'active'],
        [0, 'shelve', 'shelved'],
        [20 * MIN, 'unshelve', 'active'],
        [25 * MIN, 'escalate', 'active'],
        [30 * MIN, 'escalate', 'active'],
      ]);
      expect(emitted[1]!.lifecycle!.shelved).toEqual({ by: 'li', until: 20 * MIN, reason: 'level gauge under repair' });
      expect(emitted[2]!.transition!.by).toBe('system:engine');
    });
  });
  it('suppresses by design the alarms of an out-of-service asset, and raises new ones suppressed', () => {
    withBook((book, _s, emitted) => {
      book.condition('HH\u0000T1', spec, true, 0);
      book.suppress('T1', 'wang', 'tank out of service for cleaning');
      book.condition('HI\u0000T1', { ...spec, clause: 'HI' }, true, 10);
      expect(emitted.map((a) => [a.transition!.action, a.state, a.lifecycle!.suppressed?.reason])).toEqual([
        ['raise', 'active', undefined],
        ['suppress', 'shelved', 'tank out of service for cleaning'],
        ['raise', 'shelved', 'tank out of service for cleaning'],
      ]);
      expect(book.unsuppress('T1', 'wang').map((a) => a.state)).toEqual(['active', 'active']);
    });
  });
  it('refuses bad commands with a code', () => {
    withBook((book) => {
      book.condition('HH\u0000T1', spec, true, 0);
      const code = (f: () => unknown) => {
        try {
          f();
        } catch (error) {
          return (error as EngineError).code;
        }
        return 'none';
      };
      expect(code(() => book.acknowledge('s:nope', 'wang', 'x'))).toBe('ENGINE_UNKNOWN_ALERT');
      expect(code(() => book.acknowledge('s:HH:T1:0', 'wang', ' '))).toBe('ENGINE_BAD_COMMAND');
      expect(code(() => book.shelve('s:HH:T1:0', 'li', -1, 'r'))).toBe('ENGINE_BAD_COMMAND');
      expect(code(() => book.shelve('s:HH:T1:0', 'li', 9 * 60 * MIN, 'r'))).toBe('ENGINE_BAD_COMMAND');
      expect(code(() => book.unshelve('s:HH:T1:0', 'li'))).toBe('ENGINE_ALERT_STATE');
      expect(code(() => book.respond('s:HH:T1:0', 'fire team 1', 'en-route'))).toBe('ENGINE_ALERT_STATE');
      expect(code(() => book.respond('s:HH:T1:0', 'fire team 1', 'lunch'))).toBe('ENGINE_BAD_COMMAND');
      book.acknowledge('s:HH:T1:0', 'wang', 'ok');
      expect(code(() => book.acknowledge('s:HH:T1:0', 'wang', 'again'))).toBe('ENGINE_ALERT_STATE');
    });
  });
  it('records rescue-team responses on an incident', () => {
    withBook((book, _s, emitted) => {
      const incident = { hazard: 'tank-fire' as const, zones: { type: 'FeatureCollection' as const, features: [] }, affected: ['T1'], inventory: [], countdowns: [] };
      book.condition('hazard\u0000tank-fire\u0000T1', { ...spec, incident }, true, 0);
      book.respond('s:hazard:tank-fire:T1:0', 'fire team 1', 'en-route');
      expect(emitted.at(-1)!.transition).toEqual({ at: 0, by: 'fire team 1', action: 'respond', status: 'en-route' });
    });
  });
  it('restores a stored alarm without a duplicate, re-arming its escalation', () => {
    withBook((book, s, emitted) => {
      const stored: Alert = {
        id: 's:HH:T1:0',
        site: 's',
        kind: 'overfill',
        severity: 1,
        state: 'active',
        raisedAt: 0,
        changedAt: 0,
        subjects: ['T1'],
        message: spec.message,
        actions: [],
        clause: 'HH',
        standard: 'std@1.0.0',
        lifecycle: { condition: 'active', acknowledged: false, escalations: 0 },
      };
      book.restore(stored, 'HH\u0000T1');
      s.schedule(() => book.condition('HH\u0000T1', spec, true, s.now()), 1000);
      s.schedule(() => book.acknowledge('s:HH:T1:0', 'wang', 'seen'), 6 * MIN);
      s.flush();
      expect(trail(emitted)).toEqual([
        [5 * MIN, 'escalate', 'active'],
        [6 * MIN, 'acknowledge', 'acknowledged'],
      ]);
      expect(emitted[0]!.id).toBe('s:HH:T1:0');
      expect(book.open().map((a) => a.id)).toEqual(['s:HH:T1:0']);
    });
  });
});
