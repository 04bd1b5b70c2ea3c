import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';
import type { Alert, LiveEvent, Quality, Site } from '../../model/index.ts';
import type { Standard } from '../../standards/index.ts';
import { createEngine, type Engine } from '../index.ts';

/**
 * [ms, point, value] or [ms, point, value, quality]: the reading is stamped T0 + ms (its source clock far
 * from the engine's, which starts at 0); or [ms, point, value, quality, ts]: stamped ts on the engine's clock
 */
export type Step = [number, string, number | boolean] | [number, string, number | boolean, Quality] | [number, string, number | boolean, Quality, number];

export const SITE_FILE = new URL('../../sites/zhoushan-demo.yaml', import.meta.url).pathname;
export const STANDARD_FILE = new URL('../../standards/oil-depot-above-ground/1.0.0.yaml', import.meta.url).pathname;
export const STANDARD_1_1_FILE = new URL('../../standards/oil-depot-above-ground/1.1.0.yaml', import.meta.url).pathname;
export const T0 = 1_700_000_000_000;

/** Plays samples on virtual time through the real engine; returns every alert version emitted and the engine's last snapshot. */
export function playOnVirtualTime(site: Site, standard: Standard, steps: Step[], until: number, commands?: (engine: Engine, at: (ms: number, fn: () => void) => void) => void) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const events: LiveEvent[] = [];
  let snapshot: ReturnType<Engine['snapshot']>;
  scheduler.run(({ flush }) => {
    const engine = createEngine({ sites: [site], standards: [standard], scheduler });
    engine.events$.subscribe((e) => events.push(e));
    const at = (ms: number, fn: () => void) => scheduler.schedule(fn, ms);
    for (const [ms, point, value, quality, ts] of steps) at(ms, () => engine.ingest({ site: site.id, point, value, quality: quality ?? 'good', ts: ts ?? T0 + ms }));
    commands?.(engine, at);
    at(until, () => {
      snapshot = engine.snapshot(site.id);
      engine.dispose();
    });
    flush();
  });
  const alerts = events.filter((e) => e.type === 'alert').map((e) => e.data as Alert);
  return { alerts, events, snapshot: snapshot! };
}

/** Every `everyMs` from `from` to `to` (inclusive), the same reading. */
export function repeat(point: string, value: number | boolean, from: number, to: number, everyMs = 1000, quality: Quality = 'good'): Step[] {
  const steps: Step[] = [];
  for (let t = from; t <= to; t += everyMs) steps.push([t, point, value, quality]);
  return steps;
}
