/**
 * `ketwin central` through a NATS outage (a nats-server of the test's own, stopped 30 s while samples keep
 * coming at the edge's publish boundary, held there and published in order when it is back). Central cannot
 * renew its lease: after 6 s it lets the site go (no one could prove ownership meanwhile); when NATS is
 * back it takes the site again, rebuilt from the store, and consumes the stream where it stopped. Counted
 * after: every published sample stored once, and the verdicts and score those of one process on the same
 * samples (engine replay).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createJetStreamBus, type JetStreamBus } from '../bus/index.ts';
import { startNatsServer, uniquePrefix, type NatsServerChild } from '../bus/testing/nats.ts';
import { waitFor } from '../bus/testing/wait.ts';
import { openStore } from '../db/index.ts';
import { replay, resultsAsOf } from '../engine/index.ts';
import { loadConfiguration, startKetwin, type Ketwin } from '../main.ts';
import type { Sample } from '../model/index.ts';
import { parseScenario, scenarioSamples } from '../sim/index.ts';
import { createMemoryUserDirectory } from '../ui/server/index.ts';

const SITE = 'zhoushan-demo';
const QUIET = parseScenario('name: quiet\ntitle: { zh: 平稳, en: Quiet }\nsteps: [{ at: 0, action: mains, available: true }]\n');

describe('ketwin central through a NATS outage', () => {
  let nats: NatsServerChild | undefined;
  let root: string | undefined;
  let central: Ketwin | undefined;
  let generatorBus: JetStreamBus | undefined;
  afterAll(async () => {
    await central?.close();
    await generatorBus?.close();
    await nats?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('lets its site go while NATS is away, takes it again after; every sample stored once, the verdicts of one process', async () => {
    nats = await startNatsServer();
    root = await mkdtemp(join(tmpdir(), 'ketwin-central-nats-'));
    const sitesDir = join(root, 'sites');
    await mkdir(sitesDir);
    await writeFile(join(sitesDir, `${SITE}.yaml`), await readFile(resolve(`sites/${SITE}.yaml`), 'utf8'));
    const { sites, standards } = await loadConfiguration(sitesDir, resolve('standards'));
    const prefix = uniquePrefix();
    const log: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          log.push(chunk.toString());
          done();
        },
      }),
    );
    const said = (pattern: RegExp) => log.filter((l) => pattern.test(l)).length;
    central = await startKetwin({
      port: 0,
      host: '127.0.0.1',
      dataDir: join(root, 'central'),
      sitesDir,
      standardsDir: resolve('standards'),
      simulate: false,
      logger,
      users: createMemoryUserDirectory(),
      nats: { servers: [nats.url], prefix },
      central: {},
    });

    // the edge's publish boundary: each point when it changed, every 500 ms; a batch the broker did not take is offered again, in order
    generatorBus = createJetStreamBus({ servers: [nats.url], prefix, publishTimeoutMs: 1000 });
    const published: Sample[] = [];
    const start = Date.now();
    const timeline = scenarioSamples(sites[0]!, QUIET, { start, tickMs: 500, untilMs: 10 * 60_000 });
    const origin = `gen-${randomBytes(4).toString('hex')}`;
    const last = new Map<string, Sample>();
    let position = 0;
    let generating = true;
    const generator = (async () => {
      for (let next = timeline.next(); generating && !next.done; next = timeline.next()) {
        const wait = start + next.value.at - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const batch = next.value.samples.filter((s) => {
          const was = last.get(s.point);
          last.set(s.point, s);
          return !was || was.value !== s.value || was.quality !== s.quality;
        });
        if (batch.length === 0) continue;
        for (;;) {
          try {
            await generatorBus!.publishSamples(batch, { origin, start: position, end: position + batch.length });
            break;
          } catch {
            await new Promise((r) => setTimeout(r, 200));
          }
        }
        position += batch.length;
        published.push(...batch);
      }
    })();

    await waitFor(() => said(/site zhoushan-demo taken over/) === 1 && central!.samplesIngested() > 0, 'central to take the site and its samples', 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    await nats.stop();
    const stoppedAt = Date.now();
    await waitFor(() => said(/released \(lost\)/) >= 1, 'central to let the site go', 15_000);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000); // 0.75 × the 8 s lease, and a round
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - stoppedAt))));
    await nats.start();
    await waitFor(() => said(/site zhoushan-demo taken over/) === 2, 'central to take the site again', 30_000).catch((error: unknown) => {
      throw new Error(
        `${(error as Error).message}; central's log:\n${log
          .filter((l) => /leases|central|bus/.test(l))
          .slice(-30)
          .join('')}`,
      );
    });
    await new Promise((r) => setTimeout(r, 5000));
    generating = false;
    await generator;
    const total = new Set(published.map((s) => `${s.point}\u0000${s.ts}`)).size;
    await waitFor(() => central!.samplesIngested() >= total, `central to take all ${total} samples`, 60_000);
    await new Promise((r) => setTimeout(r, 3000)); // the writer's last verdict changes
    await central.close();
    central = undefined;

    const store = await openStore({ dataDir: join(root, 'central'), logger: pino({ level: 'silent' }) });
    try {
      let stored = 0;
      const missing: string[] = [];
      const byPoint = new Map<string, Set<number>>();
      for (const s of published) byPoint.set(s.point, (byPoint.get(s.point) ?? new Set()).add(s.ts));
      for (const [point, times] of byPoint) {
        const rows = await store.series(SITE, point, Math.min(...times), Math.max(...times));
        stored += rows.length;
        const have = new Set(rows.map((r) => r.ts));
        for (const ts of times) if (!have.has(ts)) missing.push(`${point}@${ts}`);
      }
      expect(missing, `${missing.length} of ${total} samples not stored`).toEqual([]);
      expect(stored).toBe(total); // samples in == rows out

      const live = await store.latestResults(SITE);
      const standard = standards.find((s) => s.key === live[0]?.standard)!;
      const single = replay({ samples: published, site: sites[0]!, standard });
      const verdicts = (results: { clause: string; subject: string; verdict: string }[]) => results.map((r) => `${r.clause} ${r.subject} ${r.verdict}`).sort();
      expect(verdicts(live)).toEqual(verdicts(resultsAsOf(single.results, published.at(-1)!.ts)));
      const score = await store.latestScore(SITE);
      expect({ counts: score?.counts, score: score?.score }).toEqual({ counts: single.scores.at(-1)?.counts, score: single.scores.at(-1)?.score });
    } finally {
      await store.close();
    }
  }, 240_000);
});
