/** The edge watch against the real nats-server at NATS_URL: beats published through the bus, read back, then silence. */
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createJetStreamBus } from '../bus/index.ts';
import { deleteStreams, natsUrl, uniquePrefix } from '../bus/testing/nats.ts';
import { waitFor } from '../bus/testing/wait.ts';
import { startEdgeWatch, type EdgeHealth } from './edge-watch.ts';

describe('the edge watch', () => {
  const prefix = uniquePrefix();
  const bus = createJetStreamBus({ servers: natsUrl(), prefix });
  afterAll(async () => {
    await bus.close();
    await deleteStreams(natsUrl(), prefix);
  });

  it("reports each owned site's edge as its last beat says, and silent once no beat came for silentAfterMs", async () => {
    const watch = startEdgeWatch({ bus, sites: () => ['depot-a', 'depot-b'], everyMs: 100, silentAfterMs: 1500, logger: pino({ level: 'silent' }) });
    try {
      const beat = (n: number) =>
        bus.publish('depot-a', 'health', {
          type: 'edge-health',
          data: {
            from: 'edge-1',
            ts: Date.now(),
            link: 'up',
            backlog: { samples: n, onDisk: 0, dropped: 0 },
            published: 100 * n,
            sources: [{ id: 'plc', online: true, samples: 7 }],
          },
        });
      await bus.publish('depot-b', 'health', { type: 'edge-health', data: { nonsense: true } }); // not understood: ignored
      await beat(1);
      const a = () => watch.edges().find((e) => e.site === 'depot-a')!;
      await waitFor(() => a().published === 100, 'the first beat');
      expect(a()).toMatchObject({ edge: 'edge-1', silent: false, link: 'up', backlog: { samples: 1 }, sources: [{ id: 'plc', online: true, samples: 7 }] });
      const b: EdgeHealth = watch.edges().find((e) => e.site === 'depot-b')!;
      expect(b).toEqual({ site: 'depot-b', silent: false, silentAfterMs: 1500, sources: [] }); // never heard, not silent yet
      await beat(2);
      await waitFor(() => a().published === 200, 'the second beat');

      // no beat for 1.5 s: silent, its devices no longer taken for connected; the one never heard too
      await waitFor(() => a().silent, 'silence', 5000);
      expect(a().sources).toEqual([{ id: 'plc', online: false, samples: 7 }]);
      expect(watch.edges().find((e) => e.site === 'depot-b')!.silent).toBe(true);
      await beat(3);
      await waitFor(() => !a().silent, 'the edge heard again', 5000);
    } finally {
      await watch.stop();
    }
  });
});
