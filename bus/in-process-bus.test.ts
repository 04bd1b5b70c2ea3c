import { describe, expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import { BusError } from './bus-errors.ts';
import { createInProcessBus } from './in-process-bus.ts';
import { numberedSamples } from './testing/samples.ts';

describe('the in-process bus', () => {
  it('hands each batch to every subscriber before publish resolves, in order, filtered by site', async () => {
    const bus = createInProcessBus();
    const all: Sample[] = [];
    const onlyB: Sample[] = [];
    await bus.subscribeSamples({ name: 'engine', handle: (batch) => void all.push(...batch) });
    await bus.subscribeSamples({ name: 'b', sites: ['b'], handle: (batch) => void onlyB.push(...batch) });
    const batch = [...numberedSamples('a', 0, 3), ...numberedSamples('b', 3, 2), ...numberedSamples('a', 5, 1)];
    await bus.publishSamples(batch);
    expect(all).toEqual(batch);
    expect(onlyB.map((s) => s.value)).toEqual([3, 4]);
    await bus.close();
  });

  it('refuses a batch nobody takes (the queue in front keeps it) and anything after close', async () => {
    const bus = createInProcessBus();
    await expect(bus.publishSamples(numberedSamples('a', 0, 1))).rejects.toMatchObject({ code: 'BUS_NO_SUBSCRIBER' });
    const subscription = await bus.subscribeSamples({ name: 'x', handle: () => undefined });
    await bus.publishSamples(numberedSamples('a', 0, 1));
    await subscription.stop();
    await expect(bus.publishSamples(numberedSamples('a', 1, 1))).rejects.toBeInstanceOf(BusError);
    await bus.close();
    await expect(bus.subscribeSamples({ name: 'y', handle: () => undefined })).rejects.toMatchObject({ code: 'BUS_CLOSED' });
  });

  it('a subscriber that fails makes the publish reject; the batch offered again reaches only the one that had not taken it', async () => {
    const bus = createInProcessBus();
    const steady: number[] = [];
    const flaky: number[] = [];
    let failNext = true;
    const s1 = await bus.subscribeSamples({ name: 'steady', handle: (batch) => void steady.push(...batch.map((s) => s.value as number)) });
    const s2 = await bus.subscribeSamples({
      name: 'flaky',
      handle: (batch) => {
        if (failNext) {
          failNext = false;
          throw new Error('down');
        }
        flaky.push(...batch.map((s) => s.value as number));
      },
    });
    const first = numberedSamples('a', 0, 4);
    await expect(bus.publishSamples(first, { origin: 'run-1', start: 0, end: 4 })).rejects.toThrow('down');
    await bus.publishSamples(first, { origin: 'run-1', start: 0, end: 4 });
    // a batch that overlaps the one taken: only its new rows
    await bus.publishSamples(numberedSamples('a', 2, 4), { origin: 'run-1', start: 2, end: 6 });
    expect(steady).toEqual([0, 1, 2, 3, 4, 5]);
    expect(flaky).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s1.stats()).toMatchObject({ handled: 2, samples: 6, duplicates: 6 });
    expect(s2.stats()).toMatchObject({ handled: 2, samples: 6, retried: 1, duplicates: 2 });
    await bus.close();
  });

  it('carries events to the subscribers of their site', async () => {
    const bus = createInProcessBus();
    const got: string[] = [];
    await bus.subscribe('events', { name: 'ui', sites: ['a'], handle: (site, m) => void got.push(`${site}:${m.type}`) });
    await bus.publish('a', 'events', { type: 'score', data: { score: 90 } });
    await expect(bus.publish('b', 'events', { type: 'score', data: {} })).rejects.toMatchObject({ code: 'BUS_NO_SUBSCRIBER' });
    expect(got).toEqual(['a:score']);
    await bus.close();
  });
});
