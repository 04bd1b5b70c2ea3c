import { Counter, Gauge, Registry } from 'prom-client';
import type { AlarmHealth } from '../../model/index.ts';
import type { LiveTwin } from './live-twin.ts';
import { isOpenAlert } from './site-views.ts';
import type { MetricsSource, QueueMetrics } from './ports.ts';

export interface MetricsSources {
  live: LiveTwin;
  view?: MetricsSource;
  /** open event-stream clients */
  streams: () => number;
  sessions: () => number;
}

/** A counter that follows a running total read at scrape time. */
function totalCounter(registry: Registry, name: string, help: string, labelNames: string[], read: () => { labels: Record<string, string>; total: number }[]): void {
  const seen = new Map<string, number>();
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const { labels, total } of read()) {
        const key = JSON.stringify(labels);
        const delta = total - (seen.get(key) ?? 0);
        if (delta > 0) this.inc(labels, delta);
        seen.set(key, Math.max(total, seen.get(key) ?? 0));
      }
    },
  });
}

/** The server's Prometheus registry (one per app, nothing global), read at scrape time. */
export function createMetricsRegistry(sources: MetricsSources): Registry {
  const { live, view } = sources;
  const registry = new Registry();
  const sites = () => live.sites().map((site) => ({ site, snapshot: live.snapshot(site.id) }));

  new Gauge({
    name: 'ketwin_site_score',
    help: 'Compliance score of each site, 0..100',
    labelNames: ['site'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { site, snapshot } of sites()) if (snapshot?.score) this.set({ site: site.id }, snapshot.score.score);
    },
  });
  new Gauge({
    name: 'ketwin_site_coverage_ratio',
    help: 'Share of applicable clauses with a known verdict',
    labelNames: ['site'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { site, snapshot } of sites()) if (snapshot?.score) this.set({ site: site.id }, snapshot.score.coverage);
    },
  });
  new Gauge({
    name: 'ketwin_verdicts',
    help: 'Current clause verdicts per site',
    labelNames: ['site', 'verdict'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { site, snapshot } of sites()) {
        const counts: Record<string, number> = { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 };
        for (const r of snapshot?.results ?? []) counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
        for (const [verdict, n] of Object.entries(counts)) this.set({ site: site.id, verdict }, n);
      }
    },
  });
  new Gauge({
    name: 'ketwin_alarms',
    help: 'Alarms not cleared, per site, state and severity',
    labelNames: ['site', 'state', 'severity'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { site, snapshot } of sites()) {
        for (const alert of snapshot?.alerts ?? []) this.inc({ site: site.id, state: alert.state, severity: String(alert.severity) });
      }
    },
  });
  new Gauge({
    name: 'ketwin_alarms_open',
    help: 'Alarms active or acknowledged (not shelved), per site',
    labelNames: ['site'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { site, snapshot } of sites()) this.set({ site: site.id }, (snapshot?.alerts ?? []).filter(isOpenAlert).length);
    },
  });
  // alarm-system health (EEMUA 191 / ISA-18.2), per site, where the live view has the engine's figures
  const health = () =>
    live.sites().flatMap((site) => {
      const h = live.alarmHealth?.(site.id);
      return h ? [{ site: site.id, h }] : [];
    });
  const healthGauge = (name: string, help: string, value: (h: AlarmHealth) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['site'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { site, h } of health()) this.set({ site }, value(h));
      },
    });
  healthGauge('ketwin_alarm_flood', '1 while the site is in an alarm flood (at least floodAlarms in the window)', (h) => (h.flood.active ? 1 : 0));
  healthGauge('ketwin_alarms_last_window', 'Alarms annunciated in the last health window (10 min)', (h) => h.lastWindow);
  healthGauge('ketwin_alarm_flood_share_ratio', "Share of the period's windows in flood (EEMUA 191 target: under 0.01)", (h) => h.period.floodShare);
  healthGauge('ketwin_alarms_chattering', 'Alarms chattering now', (h) => h.chattering.filter((c) => c.active).length);
  healthGauge('ketwin_alarms_standing', 'Alarms standing longer than standingAfter', (h) => h.standing.length);
  new Gauge({
    name: 'ketwin_event_stream_clients',
    help: 'Open event-stream connections',
    registers: [registry],
    collect() {
      this.set(sources.streams());
    },
  });
  new Gauge({
    name: 'ketwin_sessions',
    help: 'Signed-in sessions',
    registers: [registry],
    collect() {
      this.set(sources.sessions());
    },
  });

  if (view?.samplesIngested) {
    const read = view.samplesIngested.bind(view);
    totalCounter(registry, 'ketwin_samples_ingested_total', 'Samples the engine has taken in (rate() gives samples/s)', [], () => [{ labels: {}, total: read() }]);
  }
  if (view?.writer) {
    const writer = view.writer.bind(view);
    new Gauge({
      name: 'ketwin_db_writer_buffered_rows',
      help: 'Rows waiting in the database writer buffer',
      registers: [registry],
      collect() {
        this.set(writer().buffered);
      },
    });
    totalCounter(registry, 'ketwin_db_writer_written_rows_total', 'Rows the database writer has written', [], () => [{ labels: {}, total: writer().written }]);
    totalCounter(registry, 'ketwin_db_writer_dropped_rows_total', 'Rows the database writer had to drop', [], () => [{ labels: {}, total: writer().dropped }]);
    totalCounter(registry, 'ketwin_db_writer_dead_letters_total', 'Rows the database refused again and again, moved to the dead_letters table so the lane goes on', ['lane'], () =>
      Object.entries(writer().deadLetters ?? {}).map(([lane, total]) => ({ labels: { lane }, total })),
    );
    new Gauge({
      name: 'ketwin_db_writer_audit_pending',
      help: 'Audit entries on disk, not yet in the database',
      registers: [registry],
      collect() {
        this.set(writer().auditPending ?? 0);
      },
    });
  }
  if (view?.webhooks) {
    const hooks = view.webhooks.bind(view);
    new Gauge({
      name: 'ketwin_webhook_dead_letters',
      help: 'Webhook deliveries dead-lettered: waiting for their automatic retry, or final',
      labelNames: ['subscriber', 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const h of hooks()) {
          this.set({ subscriber: h.subscriber, state: 'waiting' }, h.deadWaiting);
          this.set({ subscriber: h.subscriber, state: 'final' }, h.deadFinal);
        }
      },
    });
    new Gauge({
      name: 'ketwin_webhook_pending',
      help: 'Webhook deliveries queued',
      labelNames: ['subscriber'],
      registers: [registry],
      collect() {
        this.reset();
        for (const h of hooks()) this.set({ subscriber: h.subscriber }, h.pending);
      },
    });
    totalCounter(registry, 'ketwin_webhook_delivered_total', 'Webhook deliveries answered 2xx', ['subscriber'], () =>
      hooks().map((h) => ({ labels: { subscriber: h.subscriber }, total: h.delivered })),
    );
    totalCounter(registry, 'ketwin_webhook_dead_letter_retries_total', 'Dead letters put back in the queue by their schedule', ['subscriber'], () =>
      hooks().map((h) => ({ labels: { subscriber: h.subscriber }, total: h.autoRetries })),
    );
  }
  if (view?.collectorBuffer) {
    const buffer = view.collectorBuffer.bind(view);
    new Gauge({
      name: 'ketwin_collector_buffer_samples',
      help: 'Samples waiting in the collector buffer (memory and disk)',
      registers: [registry],
      collect() {
        this.set(buffer().depth);
      },
    });
    new Gauge({
      name: 'ketwin_collector_buffer_on_disk_samples',
      help: 'Samples of the collector buffer spilled to disk',
      registers: [registry],
      collect() {
        this.set(buffer().onDisk);
      },
    });
    totalCounter(registry, 'ketwin_collector_buffer_dropped_total', 'Samples a full collector buffer dropped, the oldest first (reported as collector.buffer_full)', [], () => [
      { labels: {}, total: buffer().dropped },
    ]);
  }
  if (view?.queues) {
    const queues = view.queues.bind(view);
    const gauge = (name: string, help: string, pick: (q: QueueMetrics) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['queue'],
        registers: [registry],
        collect() {
          this.reset();
          for (const q of queues()) this.set({ queue: q.queue }, pick(q));
        },
      });
    gauge('ketwin_queue_rows', 'Rows a durable queue keeps (not yet acked by every consumer)', (q) => q.rows);
    gauge('ketwin_queue_bytes', 'Bytes of a durable queue’s segment files', (q) => q.bytes);
    gauge('ketwin_queue_segments', 'Segment files of a durable queue', (q) => q.segments);
    totalCounter(registry, 'ketwin_queue_dropped_rows_total', 'Rows a durable queue dropped at its bound (the oldest first)', ['queue'], () =>
      queues().map((q) => ({ labels: { queue: q.queue }, total: q.dropped })),
    );
    totalCounter(registry, 'ketwin_queue_corrupt_lines_total', 'Damaged lines a durable queue skipped (each logged with its file and line)', ['queue'], () =>
      queues().map((q) => ({ labels: { queue: q.queue }, total: q.corrupt })),
    );
  }
  if (view?.dbLagMs) {
    const lag = view.dbLagMs.bind(view);
    new Gauge({
      name: 'ketwin_db_lag_seconds',
      help: 'How far stored telemetry is behind the newest sample',
      registers: [registry],
      collect() {
        this.set(lag() / 1000);
      },
    });
  }
  if (view?.sources) {
    const list = view.sources.bind(view);
    new Gauge({
      name: 'ketwin_source_connected',
      help: '1 when the telemetry source is connected',
      labelNames: ['site', 'source'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of list()) this.set({ site: s.site, source: s.id }, s.connected ? 1 : 0);
      },
    });
    totalCounter(registry, 'ketwin_source_samples_total', 'Samples delivered by each source', ['site', 'source'], () =>
      list().flatMap((s) => (s.samples === undefined ? [] : [{ labels: { site: s.site, source: s.id }, total: s.samples }])),
    );
  }
  if (live.edge) {
    // under ketwin central, an edge heard: what its disk buffer holds, not yet on the bus; a silent edge's last word
    // is stale and left out (ketwin_source_connected{source="edge"} 0 says it is silent)
    const edgeOf = live.edge.bind(live);
    const heard = () =>
      live
        .sites()
        .flatMap((site) => edgeOf(site.id) ?? [])
        .filter((e) => !e.silent && e.backlog);
    new Gauge({
      name: 'ketwin_edge_backlog_samples',
      help: "Samples in an edge's disk buffer not yet acknowledged by the bus, as its last health beat said",
      labelNames: ['site'],
      registers: [registry],
      collect() {
        this.reset();
        for (const e of heard()) if (e.backlog!.samples !== undefined) this.set({ site: e.site }, e.backlog!.samples);
      },
    });
    new Gauge({
      name: 'ketwin_edge_backlog_dropped_samples',
      help: "Samples an edge's full disk buffer dropped since the edge started, as its last health beat said",
      labelNames: ['site'],
      registers: [registry],
      collect() {
        this.reset();
        for (const e of heard()) if (e.backlog!.dropped !== undefined) this.set({ site: e.site }, e.backlog!.dropped);
      },
    });
  }
  return registry;
}
