/** Site leases against the real nats-server at NATS_URL, a bucket of the test's own (destroyed after). */
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteLeases } from '../site-leases.ts';
import { natsUrl, uniquePrefix } from '../testing/nats.ts';
import { waitFor } from '../testing/wait.ts';
import { startJetStreamSiteLeases } from './site-leases.ts';

const SITES = ['a', 'b', 'c', 'd'];
/** sites whose handlers run in two workers at once: must stay empty */
const doubled: string[] = [];
const holders = new Map<string, string>();
let prefix = '';
const running: SiteLeases[] = [];

/** a worker; `holding` is what its handlers were told (acquired minus released) */
function worker(name: string, options: { ttlMs?: number; roundMs?: number; sites?: string[]; takeMs?: number } = {}) {
  const holding = new Set<string>();
  const leases = startJetStreamSiteLeases({
    servers: natsUrl(),
    prefix,
    sites: options.sites ?? SITES,
    worker: name,
    ttlMs: options.ttlMs ?? 2000,
    roundMs: options.roundMs ?? 300,
    handlers: {
      acquired: async (site) => {
        if (holders.has(site)) doubled.push(`${site}: ${holders.get(site)} and ${name}`);
        holders.set(site, name);
        holding.add(site);
        // a site's twin takes a while to rebuild
        if (options.takeMs) await new Promise((r) => setTimeout(r, options.takeMs));
      },
      released: async (site) => {
        // still taking its samples until this resolves
        await new Promise((r) => setTimeout(r, 5));
        holding.delete(site);
        if (holders.get(site) === name) holders.delete(site);
      },
    },
  });
  running.push(leases);
  return { leases, holding };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.close()));
  expect(doubled.splice(0)).toEqual([]);
  holders.clear();
  const nc = await connect({ servers: natsUrl() });
  await new Kvm(nc)
    .open(`${prefix}_leases`)
    .then((kv) => kv.destroy())
    .catch(() => undefined);
  await nc.close();
});

describe('site leases in a JetStream key-value bucket', () => {
  it('refuses a TTL its rounds cannot keep', () => {
    prefix = uniquePrefix();
    expect(() =>
      startJetStreamSiteLeases({ servers: natsUrl(), prefix, sites: SITES, ttlMs: 1000, roundMs: 500, handlers: { acquired: async () => {}, released: async () => {} } }),
    ).toThrowError(/two rounds within/);
  });

  it('shares the sites between live workers, one owner each; a worker that stops gives its sites to the other', async () => {
    prefix = uniquePrefix();
    const one = worker('one');
    const two = worker('two');
    await waitFor(() => one.holding.size + two.holding.size === 4 && one.holding.size === 2, 'two sites each', 15_000);
    expect([...one.holding].filter((s) => two.holding.has(s))).toEqual([]);
    expect(one.leases.stats(), JSON.stringify(one.leases.stats())).toMatchObject({ worker: 'one', workers: 2 });

    await two.leases.close();
    expect(two.holding.size).toBe(0); // released, handlers first
    await waitFor(() => one.holding.size === 4, 'the other to take all four', 5000); // given back: no TTL to wait for
  });

  it("takes a stopped-renewing worker's sites only after its lease ran out", async () => {
    prefix = uniquePrefix();
    const nc = await connect({ servers: natsUrl() });
    try {
      // a worker that took every site and then died: its keys stay until the bucket's TTL removes them
      const kv = await new Kvm(nc).create(`${prefix}_leases`, { ttl: 2000, history: 1 });
      for (const site of SITES) await kv.create(`site.${site}`, 'dead');
      const diedAt = Date.now();
      const survivor = worker('survivor');
      await waitFor(() => survivor.holding.size === 4, 'the survivor to take the dead worker’s sites', 10_000);
      expect(Date.now() - diedAt).toBeGreaterThanOrEqual(1500); // not before the lease ran out (2 s, the server's clock)
      for (const site of SITES) expect((await kv.get(`site.${site}`))?.string()).toBe('survivor');
    } finally {
      await nc.close();
    }
  });

  it('a worker joining a busy one has its share within a few rounds, the sites moving with one owner at a time', async () => {
    prefix = uniquePrefix();
    const many = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const roundMs = 400;
    const old = worker('old', { sites: many, roundMs, ttlMs: 4000 });
    await waitFor(() => old.holding.size === 40, 'the first worker to take all forty', 20_000);
    const joined = Date.now();
    const late = worker('late', { sites: many, roundMs, ttlMs: 4000, takeMs: 20 });
    await waitFor(() => late.holding.size === 20 && old.holding.size === 20, 'twenty each', 15_000);
    // one site a round would be 20 rounds (8 s); the surplus goes at once and the free sites are taken four at a time
    expect(Date.now() - joined).toBeLessThan(6 * roundMs + 20 * 20);
    expect([...old.holding].filter((s) => late.holding.has(s))).toEqual([]);
  });
});
