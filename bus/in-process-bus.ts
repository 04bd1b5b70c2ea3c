/**
 * The bus inside one process (the default): a batch is handed to every subscriber of its sites before
 * `publishSamples` resolves. It holds nothing itself: with no subscriber it refuses the batch, and a
 * subscriber that throws makes the publish reject, so the queue in front keeps the batch and offers it
 * again; rows a subscriber took already (same origin and position) are not handed to it twice.
 */
import type { Sample } from '../model/index.ts';
import { BusError } from './bus-errors.ts';
import {
  emptySubscriptionStats,
  type BatchOrigin,
  type BusChannel,
  type BusMessage,
  type BusSubscription,
  type ChannelSubscriber,
  type SampleSubscriber,
  type TelemetryBus,
} from './bus.ts';
import { createOriginWindow } from './origin-window.ts';

interface Taker<S> {
  subscriber: S;
  sites: Set<string> | undefined;
  window: ReturnType<typeof createOriginWindow>;
  stats: ReturnType<typeof emptySubscriptionStats>;
}

export function createInProcessBus(): TelemetryBus {
  const sampleTakers: Taker<SampleSubscriber>[] = [];
  const channelTakers = new Map<BusChannel, Taker<ChannelSubscriber>[]>();
  let closed = false;

  function open(what: string): void {
    if (closed) throw new BusError('BUS_CLOSED', `in-process bus: ${what} after close`);
  }

  function subscription<S>(list: Taker<S>[], taker: Taker<S>): BusSubscription {
    list.push(taker);
    return {
      stats: () => ({ ...taker.stats }),
      stop: async () => {
        const at = list.indexOf(taker);
        if (at >= 0) list.splice(at, 1);
      },
    };
  }

  async function deliver(taker: Taker<SampleSubscriber>, samples: Sample[], origin: BatchOrigin | undefined): Promise<void> {
    const { fresh, duplicates } = taker.window.fresh(samples, origin);
    taker.stats.duplicates += duplicates;
    const { sites } = taker;
    const mine = sites === undefined ? fresh : fresh.filter((s) => sites.has(s.site));
    if (mine.length > 0) {
      try {
        await taker.subscriber.handle(mine);
      } catch (error) {
        taker.stats.retried++;
        throw error;
      }
      taker.stats.handled++;
      taker.stats.samples += mine.length;
    }
    taker.window.mark(origin);
  }

  return {
    kind: 'in-process',
    async publishSamples(samples, origin) {
      open('publishSamples');
      if (sampleTakers.length === 0) throw new BusError('BUS_NO_SUBSCRIBER', 'in-process bus: no subscriber takes samples yet');
      const batch = samples as Sample[];
      for (const taker of [...sampleTakers]) await deliver(taker, batch, origin);
    },
    async subscribeSamples(subscriber) {
      open('subscribeSamples');
      return subscription(sampleTakers, { subscriber, sites: subscriber.sites && new Set(subscriber.sites), window: createOriginWindow(), stats: emptySubscriptionStats() });
    },
    async publish(site, channel, message: BusMessage) {
      open('publish');
      const takers = (channelTakers.get(channel) ?? []).filter((t) => t.sites === undefined || t.sites.has(site));
      if (takers.length === 0) throw new BusError('BUS_NO_SUBSCRIBER', `in-process bus: no subscriber takes ${channel} of site ${site}`);
      for (const taker of takers) {
        await taker.subscriber.handle(site, message);
        taker.stats.handled++;
      }
    },
    async subscribe(channel, subscriber) {
      open('subscribe');
      const list = channelTakers.get(channel) ?? [];
      channelTakers.set(channel, list);
      return subscription(list, { subscriber, sites: subscriber.sites && new Set(subscriber.sites), window: createOriginWindow(), stats: emptySubscriptionStats() });
    },
    async close() {
      closed = true;
      sampleTakers.length = 0;
      channelTakers.clear();
    },
  };
}
