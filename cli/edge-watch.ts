/**
 * What `ketwin central` knows of the edges of the sites it owns: each site's last `edge-health` beat (the
 * newest message on `<prefix>.<site>.health`, read every `everyMs`), the edge's link, backlog and devices as
 * it reported them, and whether it has gone silent (no beat stored for `silentAfterMs`, timed by the
 * server's clock of storing, not the edge's). A silent edge's devices are not reported connected; going
 * silent and coming back are logged once each. (The engine's link watch raises the comms-loss alarm of a
 * silent edge's sites itself, from their samples stopping.)
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { systemClock } from '../model/index.ts';
import type { JetStreamBus } from '../bus/index.ts';
import type { EdgeStatus } from '../ui/server/index.ts';

/** an owned site's edge, as the UI (GET /api/sites/:id/edge) and /metrics show it */
export type EdgeHealth = EdgeStatus;

export interface EdgeWatch {
  edges(): EdgeHealth[];
  stop(): Promise<void>;
}

const beatSchema = z.object({
  from: z.string(),
  link: z.enum(['up', 'down']).optional(),
  backlog: z.object({ samples: z.number(), onDisk: z.number(), dropped: z.number() }).partial().optional(),
  published: z.number().optional(),
  sources: z.array(z.object({ id: z.string(), online: z.boolean(), samples: z.number().optional() })).default([]),
});

export function startEdgeWatch(options: {
  bus: Pick<JetStreamBus, 'latest'>;
  sites: () => readonly string[];
  /** how often the last beats are read (default 5 s) */
  everyMs?: number;
  /** no beat for this long: the edge is silent (default 30 s: three of an edge's default 10 s beats) */
  silentAfterMs?: number;
  now?: () => number;
  logger: Logger;
}): EdgeWatch {
  const now = options.now ?? systemClock.now;
  const silentAfterMs = options.silentAfterMs ?? 30_000;
  const started = now();
  const last = new Map<string, { at: number; beat: z.infer<typeof beatSchema> }>();
  const silent = new Set<string>();
  let reading: Promise<void> | undefined;

  const isSilent = (site: string) => now() - (last.get(site)?.at ?? started) > silentAfterMs;
  async function read(): Promise<void> {
    for (const site of options.sites()) {
      try {
        const latest = await options.bus.latest(site, 'health');
        if (latest?.message.type !== 'edge-health') continue;
        const beat = beatSchema.safeParse(latest.message.data);
        if (!beat.success) {
          options.logger.warn({ site, problems: beat.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'edge watch: a health beat not understood');
          continue;
        }
        last.set(site, { at: latest.at, beat: beat.data });
      } catch (error) {
        options.logger.debug({ err: error, site }, 'edge watch: last beat not read');
      }
    }
    for (const site of options.sites()) {
      if (isSilent(site) && !silent.has(site)) {
        silent.add(site);
        options.logger.warn({ site, heardAt: last.get(site)?.at }, `edge watch: the edge of ${site} is silent (no health beat for ${silentAfterMs / 1000} s)`);
      } else if (!isSilent(site) && silent.delete(site)) {
        options.logger.info({ site }, `edge watch: the edge of ${site} is heard again`);
      }
    }
  }
  const timer = setInterval(() => void (reading ??= read().finally(() => (reading = undefined))), options.everyMs ?? 5000);
  timer.unref();

  return {
    edges: () =>
      options.sites().map((site): EdgeHealth => {
        const heard = last.get(site);
        const quiet = isSilent(site);
        if (!heard) return { site, silent: quiet, silentAfterMs, sources: [] };
        const { from, link, backlog, published, sources } = heard.beat;
        return {
          site,
          edge: from,
          heardAt: heard.at,
          silent: quiet,
          silentAfterMs,
          ...(link ? { link } : {}),
          ...(backlog ? { backlog } : {}),
          ...(published !== undefined ? { published } : {}),
          // what a silent edge last said of its devices is not news: none is taken for connected
          sources: sources.map((s) => ({ ...s, online: s.online && !quiet })),
        };
      }),
    async stop() {
      clearInterval(timer);
      await reading;
    },
  };
}
