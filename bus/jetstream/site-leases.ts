/**
 * Site leases in a JetStream key-value bucket, `<prefix>_leases` (nats-server 2.9: a bucket-wide TTL, no
 * per-key TTL). A site's key `site.<site>` holds the id of the worker that owns it; the owner renews it by
 * compare-and-set on its revision every `renewEveryMs`, so a lease is never taken from under a live
 * owner, and a dead owner's lease runs out after `ttlMs` (the bucket's max age). Each worker also keeps
 * `worker.<id>` alive: the live workers share the sites evenly (a fair share each; a worker over its share
 * gives the surplus back in one round, each site after it stopped taking the site's samples, and a worker
 * under it takes free sites a few at a time, so that one joining a busy province has its share within
 * a round or two of its start, plus the time of rebuilding its sites).
 *
 * Exactly one owner at a time: a worker takes a free site with `create` (refused when the key is held),
 * and stops taking a site's samples once its last successful renewal is older than `ttlMs` × 0.75 (timed
 * from before the renewal was sent), so it has stopped before the server lets the key run out.
 */
import { Kvm, type KV } from '@nats-io/kv';
import { connect, nuid, type NatsConnection } from '@nats-io/transport-node';
import { pino, type Logger } from 'pino';
import { BusError } from '../bus-errors.ts';
import type { SiteLeaseHandlers, SiteLeases, SiteLeaseStats } from '../site-leases.ts';
import { checkPrefix } from './subjects.ts';

export interface JetStreamSiteLeaseOptions {
  servers: string | readonly string[];
  prefix?: string;
  /** the sites this worker may own */
  sites: readonly string[];
  handlers: SiteLeaseHandlers;
  /** a lease not renewed for this long runs out (default 8000 ms): with `roundMs` it bounds how long a dead worker's sites wait */
  ttlMs?: number;
  /** renewals, and rounds taking free sites, this often (default ttlMs / 4) */
  roundMs?: number;
  /** copies of the bucket on a JetStream cluster (default 1; 3 on a 3-node cluster) */
  replicas?: number;
  /** this worker's id (default a new one each start) */
  worker?: string;
  logger?: Logger;
}

interface Held {
  revision: number;
  /** monotonic time the last successful renewal was sent */
  renewedAt: number;
}

const SAFETY = 0.75;
/** free sites taken side by side in a round: a joining worker has its share in a round or two, not one site a round */
const TAKEN_AT_ONCE = 4;

export function startJetStreamSiteLeases(options: JetStreamSiteLeaseOptions): SiteLeases {
  const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers];
  const prefix = checkPrefix(options.prefix ?? 'ketwin');
  const ttlMs = options.ttlMs ?? 8000;
  const roundMs = options.roundMs ?? Math.floor(ttlMs / 4);
  if (!(ttlMs >= 1000 && roundMs > 0 && roundMs * 2 < ttlMs * SAFETY)) {
    throw new BusError('BUS_CONFIG', `site leases: ttlMs ≥ 1000 and two rounds within ${SAFETY} × ttlMs are needed (ttlMs ${ttlMs}, roundMs ${roundMs})`);
  }
  const worker = options.worker ?? nuid.next();
  const bucketName = `${prefix}_leases`;
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ part: 'leases', worker });
  const sites = [...options.sites];
  const held = new Map<string, Held>();
  /** sites between acquired and released: their handlers run */
  const busy = new Set<string>();
  const stats = { acquired: 0, released: 0, lost: 0, failures: 0, workers: 1 };
  let nc: NatsConnection | undefined;
  let kv: KV | undefined;
  let opening: Promise<KV> | undefined;
  let closed = false;
  let rounding: Promise<void> | undefined;
  let renewing: Promise<void> | undefined;

  const siteKey = (site: string) => `site.${site}`;
  const isRefusal = (error: unknown) => error instanceof Error && /wrong last sequence|key exists/i.test(error.message);

  /** the bucket, made when missing; connecting is tried again at the next round while NATS is away */
  function bucket(): Promise<KV> {
    return (opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    }));
  }
  async function open(): Promise<KV> {
    const c = await connect({ servers, name: `ketwin-leases ${worker}`, maxReconnectAttempts: -1, reconnectTimeWait: 1000, timeout: 2000 });
    if (closed) {
      await c.close();
      throw new BusError('BUS_CLOSED', 'site leases: closed while connecting');
    }
    try {
      kv = await new Kvm(c).create(bucketName, { ttl: ttlMs, history: 1, replicas: options.replicas ?? 1 });
    } catch (error) {
      await c.close().catch(() => undefined);
      throw error;
    }
    nc = c;
    return kv;
  }

  async function release(site: string, why: 'rebalance' | 'lost' | 'close'): Promise<void> {
    const lease = held.get(site);
    if (!lease) return; // released already (a renewal and a round may both let it go)
    held.delete(site);
    busy.add(site);
    try {
      await options.handlers.released(site, why);
    } catch (error) {
      logger.error({ err: error, site }, 'site leases: stopping a site failed');
    } finally {
      busy.delete(site);
    }
    stats.released++;
    if (why === 'lost') stats.lost++;
    // given back: another worker may take it at its next round instead of after the TTL
    if (why !== 'lost') await kv?.delete(siteKey(site), { previousSeq: lease.revision }).catch(() => undefined);
    logger.info({ site, why }, `site leases: ${site} released (${why})`);
  }

  /** renews every held lease and the worker's own key; a lease refused, or too old to trust, is let go */
  async function renew(): Promise<void> {
    const sentAt = performance.now();
    try {
      const b = await bucket();
      await b.put(`worker.${worker}`, String(held.size));
      await Promise.all(
        [...held].map(async ([site, lease]) => {
          try {
            lease.revision = await b.update(siteKey(site), worker, lease.revision);
            lease.renewedAt = sentAt;
          } catch (error) {
            if (!isRefusal(error)) throw error;
            logger.warn({ site }, `site leases: ${site} is no longer this worker's`);
            await release(site, 'lost');
          }
        }),
      );
    } catch (error) {
      stats.failures++;
      if (stats.failures === 1 || stats.failures % 30 === 0) logger.warn({ err: error }, 'site leases: cannot renew');
    }
    // unrenewed too long (NATS away): stop before the server lets the lease run out and another worker takes it
    for (const [site, lease] of held) if (performance.now() - lease.renewedAt > ttlMs * SAFETY) await release(site, 'lost');
  }

  /** counts the workers, gives surplus back, takes free sites up to the fair share */
  async function claim(): Promise<void> {
    let b: KV;
    try {
      b = await bucket();
      // a set: a key renewed while the listing runs may be listed twice
      const workers = new Set<string>();
      for await (const key of await b.keys('worker.>')) if (key) workers.add(key);
      stats.workers = Math.max(1, workers.size);
    } catch (error) {
      stats.failures++;
      if (stats.failures === 1) logger.warn({ err: error }, 'site leases: bucket not reachable yet');
      return;
    }
    const share = Math.ceil(sites.length / stats.workers);
    // over its share (a worker joined): the surplus back at once, each site stopped before its key is deleted
    const surplus = [...held.keys()].slice(share);
    await Promise.all(surplus.map((site) => release(site, 'rebalance')));
    // free sites up to the share, a few at a time (each is rebuilt from the store); `taking` counts those under way
    const free = sites.filter((site) => !held.has(site) && !busy.has(site));
    let taking = 0;
    const taker = async (): Promise<void> => {
      // the share checked before a site is picked: a taker that stops leaves the site to the others
      while (!closed && held.size + taking < share) {
        const site = free.shift();
        if (site === undefined) return;
        if (held.has(site) || busy.has(site)) continue;
        taking++;
        try {
          await take(b, site);
        } finally {
          taking--;
        }
      }
    };
    await Promise.all(Array.from({ length: TAKEN_AT_ONCE }, taker));
  }

  /** a free site: its key created (refused when another worker holds it), then the handler; a handler that fails gives it back */
  async function take(b: KV, site: string): Promise<void> {
    let revision: number;
    try {
      const entry = await b.get(siteKey(site));
      if (entry && entry.operation === 'PUT') return; // another worker's
      const sentAt = performance.now();
      revision = await b.create(siteKey(site), worker);
      held.set(site, { revision, renewedAt: sentAt });
    } catch (error) {
      if (!isRefusal(error)) logger.warn({ err: error, site }, 'site leases: taking a free site failed');
      return;
    }
    busy.add(site);
    try {
      await options.handlers.acquired(site);
      stats.acquired++;
      logger.info({ site }, `site leases: ${site} taken`);
    } catch (error) {
      logger.error({ err: error, site }, `site leases: starting ${site} failed; giving it back`);
      const lease = held.get(site);
      held.delete(site);
      await b.delete(siteKey(site), { previousSeq: lease?.revision ?? revision }).catch(() => undefined);
    } finally {
      busy.delete(site);
    }
  }

  const renewTimer = setInterval(() => void (renewing ??= renew().finally(() => (renewing = undefined))), roundMs);
  const round = (): Promise<void> => (rounding ??= claim().finally(() => (rounding = undefined)));
  const claimTimer = setInterval(() => void round(), roundMs);
  // the first claim after one renewal round: workers started together count each other first
  void (renewing ??= renew().finally(() => (renewing = undefined)));

  return {
    stats: (): SiteLeaseStats => ({
      worker,
      owned: [...held.keys()],
      workers: stats.workers,
      acquired: stats.acquired,
      released: stats.released,
      lost: stats.lost,
      failures: stats.failures,
    }),
    owned: () => [...held.keys()],
    round,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(renewTimer);
      clearInterval(claimTimer);
      await rounding;
      await renewing;
      await opening?.catch(() => undefined);
      for (const site of [...held.keys()]) await release(site, 'close');
      await kv?.delete(`worker.${worker}`).catch(() => undefined);
      await nc?.drain().catch(() => nc?.close());
    },
  };
}
