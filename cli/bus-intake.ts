/** Where `start` and `central` take their samples from: collectors of their own, or JetStream. */
import { join } from 'node:path';
import type { Logger } from 'pino';
// the collector (node-opcua) loads only when something runs: a CLI command's stdout stays its own
// (`ketwin audit head > head.json`), without the protocol stack's notices
import type { SiteCollection, SiteCollectionOptions } from '../collector/index.ts';
import { createJetStreamBus, type BusSubscription } from '../bus/index.ts';

export async function startCollectors(options: SiteCollectionOptions): Promise<SiteCollection> {
  const { startSiteCollection } = await import('../collector/index.ts');
  return startSiteCollection(options);
}

/**
 * `central`'s intake, in place of collectors: a durable consumer per owned site on the JetStream bus
 * into the same bounded disk buffer that collectors fill in `start` (its downstream the engine, its
 * consumer `db` the writer). A message is acked to JetStream only after its samples were committed to
 * the buffer's files: a kill loses none. Subscribing waits for NATS in the background, so central starts
 * while the broker is away.
 */
export async function startBusIntake(options: {
  sites: string[];
  nats: { servers: string[]; prefix: string };
  dataDir: string;
  logger: Logger;
  consume: SiteCollectionOptions['consume'];
}): Promise<SiteCollection & { busReady(): { ok: boolean; detail?: string } }> {
  const { createSampleBuffer } = await import('../collector/index.ts');
  const logger = options.logger.child({ part: 'intake' });
  const buffer = createSampleBuffer({ dir: join(options.dataDir, 'buffer'), downstream: options.consume, consumers: ['db'], maxInMemory: 500_000, logger });
  const bus = createJetStreamBus({ servers: options.nats.servers, prefix: options.nats.prefix, name: `ketwin-central ${options.sites.join(',')}`, logger });
  let collected = 0;
  let stopped = false;
  let subscription: BusSubscription | undefined;
  const subscribing = (async () => {
    for (let failures = 0; !stopped && !subscription; failures++) {
      try {
        subscription = await bus.subscribeSamples({
          name: 'central',
          sites: options.sites,
          handle: (batch) => {
            for (const sample of batch) buffer.sink(sample);
            collected += batch.length;
            buffer.commit();
          },
        });
        logger.info({ sites: options.sites }, "central: consuming the sites' samples from JetStream");
      } catch (error) {
        if (failures === 0) logger.warn({ err: error }, 'central: cannot subscribe to JetStream yet; trying again');
        if (!stopped) await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();
  return {
    sources: [],
    busReady: () => {
      const { connected } = bus.stats();
      return connected && subscription ? { ok: true } : { ok: false, detail: connected ? 'not subscribed yet' : `NATS ${options.nats.servers.join(', ')} not reachable` };
    },
    consumer: (name) => buffer.consumer(name),
    stats: () => ({ sources: [], buffer: buffer.stats(), collected }),
    drained: () => buffer.drained(),
    async stop() {
      stopped = true;
      await bus.close(); // stops the subscription: what it did not ack comes again to the next owner
      await subscribing;
      await buffer.close();
    },
  };
}
