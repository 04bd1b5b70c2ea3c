// The composition root and CLI: wires model, sim, collector, bus, engine, db and ui.
//   tsx main.ts start   run everything (the default)
//   tsx main.ts edge    at a depot: its collectors and disk buffer, publishing to NATS JetStream
//   tsx main.ts central the engine, writer, notifier and UI of the sites it owns, fed from NATS JetStream
//   tsx main.ts check   validate every site and standard file, then exit
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { asyncScheduler } from 'rxjs';
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import { loadSite, SiteDefinitionError, systemClock, type Site } from './model/index.ts';
import { checkLoadedSite, formatCheckReport, loadStandards, renderClauseTable, StandardError, type Standard } from './standards/index.ts';
// the collector and the simulator (node-opcua) load only when something runs: a CLI command's stdout
// stays its own (`ketwin audit head > head.json`), without the protocol stack's notices
import type { SiteCollection, SiteCollectionOptions, SiteCollectionStats, Source } from './collector/index.ts';
import { createInProcessBus, createJetStreamBus, startHealthBeacon, type BusSubscription, type JetStreamBusOptions, type JetStreamBusStats } from './bus/index.ts';
import { createEngine, replay, LIGHTNING_ALERT_KIND, lightningHistoryPoints, lightningReviewClause, lightningReviewRecord, reviewLightningWarnings } from './engine/index.ts';
import { openStore, createStoreWriter, runRetention, verifyAudit, storeSignInLimiter, userLimitKey, type AuditEntry, type StoreWriterStats } from './db/index.ts';
import {
  createApp,
  startServer,
  createFileUserDirectory,
  checkResponsibleUsers,
  formatResponsibleProblems,
  siteWithEvidence,
  fromSiteEvidence,
  toSiteEvidence,
  createDemoUsers,
  createUser,
  generatePassword,
  type Role,
  loadReportSigner,
  signAuditHead,
  readSignedHead,
  type LiveTwin,
  type UserDirectory,
  type ReadinessChecks,
  type MetricsSource,
  standingTransfers,
  TRANSFER_AUDIT_ACTIONS,
  MAX_DECLARED_MS,
} from './ui/server/index.ts';
import { createNotifier, loadSubscribers } from './notify/index.ts';
import type { DepotSim } from './sim/index.ts';

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  KETWIN_DATA: z.string().min(1).default('./data'),
  KETWIN_SITES: z.string().min(1).default('./sites'),
  KETWIN_STANDARDS: z.string().min(1).default('./standards'),
  KETWIN_SIM: z.enum(['on', 'off', 'ephemeral']).default('on'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/.*)?$/, 'must be a postgres:// URL')
    .optional()
    .transform((url) => url || undefined),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** users file; default <KETWIN_DATA>/users.json */
  KETWIN_USERS: z.string().min(1).optional(),
  /** create demo users (manager, auditor, rescue) with printed passwords; default on while simulating */
  KETWIN_DEMO_USERS: z.enum(['on', 'off']).optional(),
  /** bearer token a Prometheus scraper sends to /metrics */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** webhook subscribers (YAML or JSON): rescue teams, emergency platforms */
  KETWIN_SUBSCRIBERS: z.string().min(1).optional(),
  /** behind one reverse proxy: the client address from X-Forwarded-For (the hop it appended), https from X-Forwarded-Proto */
  KETWIN_TRUST_PROXY: z.enum(['on', 'off']).default('off'),
  /** `ketwin edge`: the NATS server(s), comma-separated */
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s/,]+(,(nats|tls):\/\/[^\s/,]+)*$/, 'must be nats:// URLs, comma-separated')
    .default('nats://127.0.0.1:4222'),
  /** first token of the bus's subjects and prefix of its streams */
  KETWIN_BUS_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, "-" and "_"')
    .default('ketwin'),
  /** `ketwin edge`: how often its health and backlog go out on <prefix>.<site>.health, ms */
  KETWIN_EDGE_HEALTH_MS: z.coerce.number().int().min(100).default(10_000),
  /** `ketwin edge`: samples its disk buffer keeps while NATS is away (about 60 bytes each); past it the oldest are dropped and reported */
  KETWIN_EDGE_BUFFER_SAMPLES: z.coerce.number().int().min(10_000).default(100_000_000),
});

const RETENTION_EVERY_MS = 60 * 60 * 1000;
/** the lightning review runs this long after an all clear: the writer has stored the transition by then */
const LIGHTNING_REVIEW_AFTER_CLEAR_MS = 10_000;

export interface KetwinOptions {
  port: number;
  host: string;
  dataDir: string;
  sitesDir: string;
  standardsDir: string;
  databaseUrl?: string;
  /** start simulated depots; `ports: 'ephemeral'` puts them on free ports instead of the site file's */
  simulate: false | { ports: 'configured' | 'ephemeral'; scenario?: string };
  logger: Logger;
  /** who may sign in; default a JSON file <dataDir>/users.json */
  users?: UserDirectory;
  usersFile?: string;
  /** create demo users with generated passwords (printed) */
  demoUsers?: boolean;
  metricsToken?: string;
  /** file of webhook subscribers; none: alerts are only in the CAP feed */
  subscribersFile?: string;
  /** trust X-Forwarded-* from one reverse proxy (KETWIN_TRUST_PROXY=on) */
  trustProxy?: boolean;
  /** the JetStream bus of `edge` (and later `central`); default nats://127.0.0.1:4222, prefix ketwin */
  nats?: { servers: string[]; prefix: string };
  /** `edge`: its health beat, ms (default 10 000) */
  edgeHealthMs?: number;
  /** `edge`: samples its disk buffer keeps at most (default 100,000,000) */
  edgeBufferSamples?: number;
  /**
   * `central`: samples come from the JetStream bus (a durable consumer per site), not from collectors of
   * its own, for `sites` (default every site under sitesDir); nothing is simulated
   */
  central?: { sites?: string[] };
}

export interface Ketwin {
  url: string;
  sites: Site[];
  sims: DepotSim[];
  /** rows buffered, written and dropped by the database writer */
  writerStats(): StoreWriterStats;
  /** samples handed to the engine since this start (from collectors, or under `central` from JetStream); still read after close */
  samplesIngested(): number;
  close(): Promise<void>;
}

export function optionsFromEnvironment(env: NodeJS.ProcessEnv): KetwinOptions {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid environment:\n${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.KETWIN_DATA),
    sitesDir: resolve(e.KETWIN_SITES),
    standardsDir: resolve(e.KETWIN_STANDARDS),
    databaseUrl: e.DATABASE_URL,
    simulate: e.KETWIN_SIM === 'off' ? false : { ports: e.KETWIN_SIM === 'on' ? 'configured' : 'ephemeral' },
    logger: pino({ level: e.LOG_LEVEL }),
    usersFile: e.KETWIN_USERS ? resolve(e.KETWIN_USERS) : undefined,
    demoUsers: (e.KETWIN_DEMO_USERS ?? (e.KETWIN_SIM === 'off' ? 'off' : 'on')) === 'on',
    metricsToken: e.METRICS_TOKEN,
    subscribersFile: e.KETWIN_SUBSCRIBERS ? resolve(e.KETWIN_SUBSCRIBERS) : undefined,
    trustProxy: e.KETWIN_TRUST_PROXY === 'on',
    nats: { servers: e.NATS_URL.split(','), prefix: e.KETWIN_BUS_PREFIX },
    edgeHealthMs: e.KETWIN_EDGE_HEALTH_MS,
    edgeBufferSamples: e.KETWIN_EDGE_BUFFER_SAMPLES,
  };
}

async function loadSites(sitesDir: string): Promise<Site[]> {
  const files = (await readdir(sitesDir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new Error(`${sitesDir}: no site definitions (*.yaml)`);
  return Promise.all(files.map((f) => loadSite(join(sitesDir, f))));
}

export async function loadConfiguration(sitesDir: string, standardsDir: string): Promise<{ sites: Site[]; standards: Standard[] }> {
  const sites = await loadSites(sitesDir);
  const standards = await loadStandards(standardsDir);
  for (const site of sites) {
    for (const wanted of site.standards) {
      if (!standards.some((s) => s.id === wanted)) throw new Error(`site ${site.id}: no standard "${wanted}" in ${standardsDir}`);
    }
  }
  return { sites, standards };
}

/** Starts the whole system; resolves once the UI is listening. */
export async function startKetwin(options: KetwinOptions): Promise<Ketwin> {
  const { logger } = options;
  const stops: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        logger.error({ err: error }, 'error during shutdown');
      }
    }
  };
  try {
    const configuration = await loadConfiguration(options.sitesDir, options.standardsDir);
    let sites = configuration.sites;

    const { central } = options;
    if (central?.sites) {
      const unknown = central.sites.filter((id) => !sites.some((s) => s.id === id));
      if (unknown.length > 0) throw new Error(`central: no site ${unknown.join(', ')} under ${options.sitesDir}`);
      sites = sites.filter((s) => central.sites!.includes(s.id));
    }
    const sims = central ? [] : await startSimulatedDepots(sites, options.simulate, logger, stops);
    if (options.simulate && !central) sites = sims.map((sim) => sim.siteWithEndpoints());

    const store = await openStore({ url: options.databaseUrl, dataDir: options.dataDir, logger: logger.child({ part: 'db' }) });
    stops.push(() => store.close());
    const writer = createStoreWriter(store, { spillDir: join(options.dataDir, 'spill'), logger: logger.child({ part: 'db-writer' }) });
    stops.push(() => writer.close());
    // audit entries go to disk first and to the chain from there: an outage or a restart loses none
    const audit = (entry: AuditEntry) => writer.audit(entry);
    audit({
      actor: 'system:ketwin',
      action: 'start',
      subject: 'ketwin',
      details: { sites: sites.map((s) => s.id), standards: configuration.standards.map((s) => s.key) },
    });
    stops.push(() => audit({ actor: 'system:ketwin', action: 'stop', subject: 'ketwin', details: { writer: writer.stats() } }));
    if (!store.timescale) {
      // TimescaleDB runs retention as a database job; elsewhere ketwin runs it itself.
      const retention = setInterval(() => {
        runRetention(store).catch((error: unknown) => logger.error({ err: error }, 'retention run failed'));
      }, RETENTION_EVERY_MS);
      retention.unref();
      stops.push(() => clearInterval(retention));
    }

    const notifier = createNotifier({
      // the outbox it drains; its audit entries go through the writer's durable lane
      store: { claimOutbox: store.claimOutbox, markDelivered: store.markDelivered, appendAudit: async (entry) => audit(entry) },
      sites,
      dataDir: options.dataDir,
      subscribers: options.subscribersFile ? await loadSubscribers(options.subscribersFile) : [],
      logger: logger.child({ part: 'notify' }),
    });
    await notifier.start();
    stops.push(() => notifier.stop());

    // evidence recorded through the UI in earlier runs joins the site definitions' own records
    sites = await Promise.all(sites.map(async (site) => siteWithEvidence(site, await store.evidence(site.id))));
    const engine = createEngine({ sites, standards: configuration.standards, scheduler: asyncScheduler, logger: logger.child({ part: 'engine' }) });
    stops.push(() => engine.dispose());
    // open alarms come back as they were (acknowledged, shelved, escalated): a restart raises no duplicates
    for (const site of sites) engine.restoreAlerts(await store.openAlerts(site.id));
    // so do the transfers declared before it that still stand (from the audit log): the stuck-gauge check keeps watching
    const started = systemClock.now();
    for (const { site, declaration } of standingTransfers(await store.auditOf(TRANSFER_AUDIT_ACTIONS, started - MAX_DECLARED_MS), started)) {
      if (!sites.some((s) => s.id === site)) continue;
      try {
        engine.declareTransfer(site, declaration);
      } catch (error) {
        logger.warn({ err: error, site, tank: declaration.tank }, 'a declared transfer could not be taken back');
      }
    }
    const subscriptions = [
      engine.results$.subscribe((r) => writer.result(r)),
      engine.scores$.subscribe((s) => writer.score(s)),
      engine.alerts$.subscribe((a) => writer.alert(a)),
      // records the twin measured itself (a valve's stroke, a day's online rate): the engine judged them already; kept for
      // the next start, the inspection list and the reports
      engine.events$.subscribe((event) => {
        if (event.type !== 'evidence') return;
        const site = sites.find((s) => s.id === event.data.site);
        if (!site) return;
        const record = { ...fromSiteEvidence(site, event.data.record), recordedBy: 'system:ketwin' };
        store
          .writeEvidence([record])
          .then(([stored]) => {
            if (stored) sites = sites.map((s) => (s.id === site.id ? siteWithEvidence(s, [stored]) : s));
          })
          .catch((error: unknown) => logger.error({ err: error, site: site.id, kind: record.kind }, 'a measured evidence record could not be stored'));
      }),
    ];
    stops.push(() => subscriptions.forEach((s) => s.unsubscribe()));

    // the lightning warning review (MEM 2022): the detectors' readings kept as long as the rule asks (≥ 3 years),
    // the lead time and share of valid warnings re-read from the alert and strike history at start, hourly and
    // after each all clear; a changed figure is judged at once and kept as the site's evidence
    const reviewed = new Map<string, string>();
    const reviewLightning = async () => {
      for (const site of sites) {
        const review = lightningReviewClause(configuration.standards.find((s) => s.key === engine.clauses(site.id)[0]?.standard) ?? configuration.standards[0]!);
        const points = lightningHistoryPoints(site);
        if (!review || points.length === 0) continue;
        await store.keepSeries(site.id, points, review.params.historyDays);
        const now = systemClock.now();
        const record = lightningReviewRecord(await reviewLightningWarnings(site, review.params, store, now), review.params, now);
        const key = JSON.stringify([record.date, record.values]);
        if (reviewed.get(site.id) === key) continue;
        reviewed.set(site.id, key);
        engine.addEvidence(site.id, record);
        const [stored] = await store.writeEvidence([{ ...fromSiteEvidence(site, record), recordedBy: 'system:ketwin' }]);
        if (stored) sites = sites.map((s) => (s.id === site.id ? siteWithEvidence(s, [stored]) : s));
      }
    };
    const reviewNow = () => void reviewLightning().catch((error: unknown) => logger.error({ err: error }, 'the lightning warning review failed'));
    await reviewLightning().catch((error: unknown) => logger.error({ err: error }, 'the lightning warning review failed'));
    const lightningReviews = setInterval(reviewNow, RETENTION_EVERY_MS);
    lightningReviews.unref();
    stops.push(() => clearInterval(lightningReviews));
    // after an all clear, once the writer has stored the transition
    const afterClear = engine.alerts$.subscribe((a) => {
      if (a.kind === LIGHTNING_ALERT_KIND && a.lifecycle?.condition === 'returned') setTimeout(reviewNow, LIGHTNING_REVIEW_AFTER_CLEAR_MS).unref();
    });
    stops.push(() => afterClear.unsubscribe());

    // sources never wait for the engine or the writer: a bounded buffer between them spills to disk,
    // and what a stop leaves unconsumed is delivered first at the next start. The writer reads the same
    // samples from the buffer and acks them after the database committed them: a kill loses none.
    // The buffer hands the engine's samples over the telemetry bus (in one process: in memory)
    let newestSampleTs = 0;
    const bus = createInProcessBus();
    stops.push(() => bus.close());
    await bus.subscribeSamples({
      name: 'engine',
      handle: (batch) => {
        for (const sample of batch) {
          engine.ingest(sample);
          if (sample.ts > newestSampleTs) newestSampleTs = sample.ts;
        }
      },
    });
    const origin = randomUUID();
    const intake = central
      ? await startBusIntake({
          sites: sites.map((s) => s.id),
          nats: options.nats ?? DEFAULT_NATS,
          dataDir: options.dataDir,
          logger,
          consume: (batch, at) => bus.publishSamples(batch, { origin, ...at }),
        })
      : undefined;
    const collection =
      intake ??
      (await startCollectors({
        sites,
        bufferDir: join(options.dataDir, 'buffer'),
        // the writer's backlog waits here now: as many samples in memory as its own buffer held before the queue
        buffer: { consumers: ['db'], maxInMemory: 500_000 },
        dataDir: options.dataDir,
        logger: logger.child({ part: 'collector' }),
        consume: (batch, at) => bus.publishSamples(batch, { origin, ...at }),
      }));
    writer.takeSamples(collection.consumer('db'));
    stops.push(() => collection.stop());
    const sources: Source[] = collection.sources.map(({ source }) => source);
    const sourceSites = new Map<Source, string>(collection.sources.map(({ site, source }) => [source, site]));

    const live: LiveTwin = {
      sites: () => sites,
      snapshot: (id) => engine.snapshot(id),
      clauses: (id) => engine.clauses(id),
      events$: engine.events$,
      alarmHealth: (id) => engine.health(id),
      // the standard the engine scores the site against: its verdicts name it
      standard: (id) => configuration.standards.find((s) => s.key === engine.clauses(id)[0]?.standard),
    };
    const users = options.users ?? createFileUserDirectory(options.usersFile ?? join(options.dataDir, 'users.json'));
    if (options.demoUsers) {
      for (const demo of await createDemoUsers(
        users,
        sites.map((s) => s.id),
        namedPersons(sites),
      )) {
        logger.warn({ user: demo.name, role: demo.role }, 'demo user created; its password is printed once on the console');
        console.log(`  demo user ${demo.name} (${demo.role}): ${demo.password}`);
      }
    }
    // a named responsible person who is no user (or may not operate the site) misses the unit's alerts: say so
    const known = await users.list();
    for (const problem of sites.flatMap((s) => checkResponsibleUsers(s, known))) {
      logger.error({ site: problem.site, unit: problem.unit, role: problem.role, user: problem.user }, `named responsible person: ${problem.message}`);
    }
    const health: ReadinessChecks = {
      checks: async () => [
        await store.latestScore(sites[0]?.id ?? '').then(
          () => ({ name: 'db', ok: true }),
          (err: unknown) => ({ name: 'db', ok: false, detail: String(err) }),
        ),
        ...sources.map((s) => ({ name: `source:${s.id}`, ok: s.stats().online })),
        // central: the samples come over JetStream, so the bus is what readiness needs
        ...(intake ? [{ name: 'bus', ...intake.busReady() }] : []),
      ],
    };
    const metrics: MetricsSource = {
      writer: () => writer.stats(),
      webhooks: () =>
        notifier.deliveryStatus().map((s) => ({
          subscriber: s.subscriber,
          pending: s.pending,
          delivered: s.delivered,
          autoRetries: s.autoRetries,
          deadWaiting: s.deadLetters.filter((d) => d.retryAt !== undefined).length,
          deadFinal: s.deadLetters.filter((d) => d.retryAt === undefined).length,
        })),
      samplesIngested: () => collection.stats().buffer.delivered,
      collectorBuffer: () => collection.stats().buffer,
      queues: () => {
        const b = collection.stats().buffer;
        const journal = notifier.journalStats();
        return [
          { queue: 'collector-buffer', rows: b.depth, bytes: b.bytes, segments: b.segments, dropped: b.dropped, corrupt: b.corrupt },
          ...Object.entries(writer.queueStats()).map(([lane, q]) => ({ queue: `db-writer-${lane}`, ...q })),
          ...(journal ? [{ queue: 'notify-journal', ...journal }] : []),
        ];
      },
      // stored telemetry behind the newest sample the engine took; nothing waiting is no lag
      dbLagMs: () => {
        const w = writer.stats();
        return w.buffered + w.spilledRows === 0 ? 0 : Math.max(0, newestSampleTs - w.newestWrittenSampleTs);
      },
      sources: () => sources.map((s) => ({ id: s.id, site: sourceSites.get(s) ?? '', connected: s.stats().online, samples: s.stats().samples })),
    };
    const app = createApp({
      live,
      commands: engine,
      logger: logger.child({ part: 'ui' }),
      auth: { users, demo: options.demoUsers, audit, limits: storeSignInLimiter(store) },
      trustProxy: options.trustProxy,
      telemetry: store,
      verdicts: store,
      alerts: store,
      commitments: store,
      // transfers a manager declares: the stuck-gauge check takes them as an open valve and a flow (a restart takes back those still standing from the audit log)
      transfers: engine,
      inspections: {
        list: (site) => store.evidence(site),
        record: async (record) => {
          const [stored] = await store.writeEvidence([record]);
          const current = sites.find((s) => s.id === record.site);
          if (!current || !stored) return stored;
          const updated = siteWithEvidence(current, [stored]);
          sites = sites.map((s) => (s.id === updated.id ? updated : s));
          // judged again at once, in place: rebuilding the site would make its hazard models forget a storm or a doubted gauge
          engine.addEvidence(updated.id, toSiteEvidence(current, stored));
          return stored;
        },
        versions: (site, kind, subject, doneAt) => store.evidenceVersions(site, kind, subject, doneAt),
      },
      audit,
      reports: { keyDir: join(options.dataDir, 'keys') },
      // re-scoring a stored period under another loaded version of the standard
      rescore: {
        standards: configuration.standards.map((s) => s.key),
        replay: ({ standard, ...input }) => replay({ ...input, standard: configuration.standards.find((s) => s.key === standard)!, logger: logger.child({ part: 'rescore' }) }),
      },
      cap: notifier,
      standards: configuration.standards.map((s) => ({ key: s.key, title: s.title, markdown: renderClauseTable(s) })),
      health,
      metrics,
      metricsToken: options.metricsToken,
    });
    const server = await startServer({ app, port: options.port, host: options.host });
    stops.push(() => server.close());

    return { url: server.url, sites, sims, writerStats: () => writer.stats(), samplesIngested: () => collection.stats().buffer.delivered, close };
  } catch (error) {
    await close();
    throw error;
  }
}

const DEFAULT_NATS = { servers: ['nats://127.0.0.1:4222'], prefix: 'ketwin' };

async function startCollectors(options: SiteCollectionOptions): Promise<SiteCollection> {
  const { startSiteCollection } = await import('./collector/index.ts');
  return startSiteCollection(options);
}

/**
 * `central`'s intake, in place of collectors: a durable consumer per owned site on the JetStream bus
 * into the same bounded disk buffer that collectors fill in `start` (its downstream the engine, its
 * consumer `db` the writer). A message is acked to JetStream only after its samples were committed to
 * the buffer's files: a kill loses none. Subscribing waits for NATS in the background, so central starts
 * while the broker is away.
 */
async function startBusIntake(options: {
  sites: string[];
  nats: { servers: string[]; prefix: string };
  dataDir: string;
  logger: Logger;
  consume: SiteCollectionOptions['consume'];
}): Promise<SiteCollection & { busReady(): { ok: boolean; detail?: string } }> {
  const { createSampleBuffer } = await import('./collector/index.ts');
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

/** Simulated depots for the sites (KETWIN_SIM), each stopped by `stops`; none when not simulating. */
async function startSimulatedDepots(sites: Site[], simulate: KetwinOptions['simulate'], logger: Logger, stops: (() => Promise<void> | void)[]): Promise<DepotSim[]> {
  if (!simulate) return [];
  const sims: DepotSim[] = [];
  const { loadScenario, startDepotSim } = await import('./sim/index.ts');
  for (const site of sites) {
    const ports = simulate.ports === 'configured' ? configuredPorts(site) : {};
    // a simulated minute per 1 s scan so that scenarios unfold in minutes, with the routine
    // transfers slowed back to real-world rates: an ordinary fill must not look like a runaway
    const sim = await startDepotSim(site, { ...ports, tickMs: 1000, secondsPerTick: 60, routineRate: 1 / 60, logger: logger.child({ part: 'sim' }) });
    stops.push(() => sim.stop());
    sims.push(sim);
    if (simulate.scenario) {
      const scenario = await loadScenario(simulate.scenario);
      logger.info({ site: site.id, scenario: simulate.scenario }, 'playing scenario');
      sim.play(scenario, { logger: logger.child({ part: 'scenario' }) });
    }
  }
  return sims;
}

export interface EdgeOptions {
  /** the depot's sites (usually one), as loaded */
  sites: Site[];
  dataDir: string;
  simulate: KetwinOptions['simulate'];
  logger: Logger;
  /** the JetStream bus it publishes to (servers, prefix, publish timeout, stream limits) */
  bus: Omit<JetStreamBusOptions, 'logger' | 'name'>;
  /** how often its health and backlog go out on <prefix>.<site>.health, ms */
  healthEveryMs: number;
  /**
   * samples the disk buffer keeps while NATS is away (default 100,000,000: at 2,000 samples/s some 14 h,
   * about 6 GB); past it the oldest are dropped, counted and reported (collector.buffer_full)
   */
  bufferSamples?: number;
}

export interface Edge {
  sites: Site[];
  sims: DepotSim[];
  stats(): { collection: SiteCollectionStats; bus: JetStreamBusStats; health: { published: number; skipped: number } };
  /** resolves once everything collected so far was published (acknowledged by JetStream) */
  drained(): Promise<void>;
  /** stops collecting; what is not published yet stays in the disk buffer for the next start */
  close(): Promise<void>;
}

/**
 * `ketwin edge`, at a depot: its collectors into the one durable queue (the collector buffer under
 * <dataDir>/buffer), and the queue's downstream a JetStream publisher: a batch is acked in the queue
 * only after every PubAck, so while NATS is unreachable the samples wait on disk and go out in order,
 * each once, when the link returns. Its health and backlog go out on <prefix>.<site>.health.
 */
export async function startEdge(options: EdgeOptions): Promise<Edge> {
  const { logger } = options;
  const stops: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        logger.error({ err: error }, 'error during shutdown');
      }
    }
  };
  try {
    const sims = await startSimulatedDepots(options.sites, options.simulate, logger, stops);
    const sites = options.simulate ? sims.map((sim) => sim.siteWithEndpoints()) : options.sites;
    const ids = sites.map((s) => s.id);
    const bus = createJetStreamBus({ ...options.bus, name: `ketwin-edge ${ids.join(',')}`, logger });
    stops.push(() => bus.close());
    // this run's rows: a batch offered again after a refusal carries the same id and positions
    const origin = randomUUID();
    const { startSiteCollection } = await import('./collector/index.ts');
    const collection = startSiteCollection({
      sites,
      bufferDir: join(options.dataDir, 'buffer'),
      buffer: { maxOnDisk: options.bufferSamples ?? 100_000_000 },
      dataDir: options.dataDir,
      logger: logger.child({ part: 'collector' }),
      consume: (batch, at) => bus.publishSamples(batch, { origin, ...at }),
    });
    stops.push(() => collection.stop());
    const beacon = startHealthBeacon({
      bus,
      sites: ids,
      type: 'edge-health',
      from: origin,
      everyMs: options.healthEveryMs,
      logger,
      report: (site) => {
        const { buffer, sources, collected } = collection.stats();
        const b = bus.stats();
        return {
          link: b.connected ? 'up' : 'down',
          backlog: { samples: buffer.depth, onDisk: buffer.onDisk, dropped: buffer.dropped, full: buffer.full },
          collected,
          published: b.samples,
          sources: sources.filter((s) => s.site === site).map((s) => ({ id: s.source, online: s.online, samples: s.samples })),
        };
      },
    });
    stops.push(() => beacon.stop());
    return {
      sites,
      sims,
      stats: () => ({ collection: collection.stats(), bus: bus.stats(), health: beacon.stats() }),
      drained: () => collection.drained(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The users the sites name as responsible persons, each with the sites that name them. */
function namedPersons(sites: readonly Site[]): { name: string; sites: string[] }[] {
  const byName = new Map<string, string[]>();
  for (const site of sites) {
    for (const r of site.majorHazard?.responsible ?? []) {
      for (const name of [r.principal, r.technical, r.operations]) {
        const list = byName.get(name) ?? [];
        if (!list.includes(site.id)) list.push(site.id);
        byName.set(name, list);
      }
    }
  }
  return [...byName].map(([name, list]) => ({ name, sites: list }));
}

function configuredPorts(site: Site): { opcuaPort?: number; modbusPort?: number } {
  const portOf = (protocol: string) => {
    const source = site.sources.find((s) => s.protocol === protocol);
    return source ? Number(new URL(source.endpoint.replace(/^opc\.tcp:/, 'http:').replace(/^tcp:/, 'http:')).port) : undefined;
  };
  return { opcuaPort: portOf('opcua'), modbusPort: portOf('modbus') };
}

const USAGE = `usage: ketwin [start [--scenario <name>]] | edge | central [--sites <id,...>] | check [site.yaml ...] | audit head | audit verify [--head FILE] | user add <name> <role> <site,...|*>
  | user unlock|disable|enable|remove <name> | user role <name> <role> <site,...|*>`;

/** Runs one CLI command; resolves to the process exit code (start keeps running until a signal). */
export async function main(argv: string[]): Promise<number> {
  const [command = 'start', ...rest] = argv;
  const options = optionsFromEnvironment(process.env);
  // a command's answer is its stdout (a signed head, a report): its log lines go to stderr
  if (command !== 'start' && command !== 'edge' && command !== 'central') options.logger = pino({ level: options.logger.level }, pino.destination(2));
  switch (command) {
    case 'start': {
      const scenario = parseStartArguments(rest, (await import('./sim/index.ts')).SCENARIOS);
      if (scenario) {
        if (!options.simulate) throw new Error('--scenario plays in the simulated depots: not with KETWIN_SIM=off');
        options.simulate.scenario = scenario;
      }
      await runStart(options);
      return 0;
    }
    case 'edge':
      if (rest.length > 0) break;
      await runEdge(options);
      return 0;
    case 'central':
      if (!(rest.length === 0 || (rest[0] === '--sites' && rest.length === 2))) break;
      options.central = { sites: rest[1]?.split(',') };
      options.simulate = false;
      await runStart(options);
      return 0;
    case 'check':
      return runCheck(options, rest);
    case 'audit':
      if (rest[0] === 'head' && rest.length === 1) return runAuditHead(options);
      if (rest[0] !== 'verify' || !(rest.length === 1 || (rest[1] === '--head' && rest.length === 3))) break;
      return runAuditVerify(options, rest[2]);
    case 'user':
      if (rest[0] === 'add' && rest.length === 4) return runUserAdd(options, rest[1]!, rest[2]!, rest[3]!);
      if (rest.length === 2 || (rest[0] === 'role' && rest.length === 4)) return runUserChange(options, rest);
      break;
  }
  console.error(USAGE);
  return 2;
}

/** `start [--scenario <name|file.yaml>]` */
function parseStartArguments(args: string[], scenarios: readonly string[]): string | undefined {
  if (args.length === 0) return undefined;
  if (args[0] === '--scenario' && args.length === 2) return args[1];
  throw new Error(`start takes only --scenario <name|file.yaml> (scenarios: ${scenarios.join(', ')})`);
}

/**
 * Offline compliance of site definitions (design and evidence clauses), what a depot engineer runs
 * before commissioning; without files, every site under KETWIN_SITES. Exit 2 on a broken file,
 * 1 when a clause fails, 0 otherwise.
 */
async function runCheck(options: KetwinOptions, files: string[]): Promise<number> {
  let standards: Standard[];
  try {
    standards = await loadStandards(options.standardsDir);
  } catch (error) {
    if (!(error instanceof StandardError)) throw error;
    console.error(error.message); // the file, the clause and the line
    return 2;
  }
  const siteFiles =
    files.length > 0
      ? files
      : (await readdir(options.sitesDir))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(options.sitesDir, f));
  // the named responsible persons must be users who may operate their site (when the users file exists yet)
  const usersFile = options.usersFile ?? join(options.dataDir, 'users.json');
  const users = await createFileUserDirectory(usersFile).list();
  let failing = 0;
  for (const file of siteFiles) {
    try {
      const site = await loadSite(file);
      const report = checkLoadedSite(site, file, standards);
      console.log(formatCheckReport(report));
      failing += report.counts.fail;
      if ((site.majorHazard?.responsible ?? []).length === 0) continue;
      if (users.length === 0) {
        console.log(`WARN  the named responsible persons are not checked against users: no users in ${usersFile}\n`);
        continue;
      }
      const problems = checkResponsibleUsers(site, users);
      if (problems.length > 0) console.log(formatResponsibleProblems(problems));
      failing += problems.length;
    } catch (error) {
      if (error instanceof SiteDefinitionError || error instanceof StandardError) {
        console.error(error.message);
        return 2;
      }
      throw error;
    }
  }
  return failing > 0 ? 1 : 0;
}

/**
 * Walks the audit log's hash chain and names every changed or missing row; with `--head FILE` (from
 * `ketwin audit head`, its signature checked against the site key) also a truncated tail or a chain
 * computed again after a change.
 */
async function runAuditVerify(options: KetwinOptions, headFile?: string): Promise<number> {
  const head = headFile === undefined ? undefined : readSignedHead(await readFile(headFile, 'utf8'), (await loadReportSigner(join(options.dataDir, 'keys'))).publicKey, headFile);
  const store = await openStore({ url: options.databaseUrl, dataDir: options.dataDir, logger: options.logger.child({ part: 'db' }) });
  try {
    const report = await verifyAudit(store, { head });
    for (const problem of report.problems) console.error(`audit row ${problem.seq}: ${problem.message}`);
    console.log(
      report.ok
        ? `audit log intact: ${report.rows} rows, head ${report.head}${head ? ` (row ${head.seq} matches the signed head)` : ''}`
        : `audit log TAMPERED: ${report.problems.length} problem(s) in ${report.rows} rows`,
    );
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** Prints the newest row's sequence and hash, signed with the site key: keep it away from the database. */
async function runAuditHead(options: KetwinOptions): Promise<number> {
  const signer = await loadReportSigner(join(options.dataDir, 'keys'));
  const store = await openStore({ url: options.databaseUrl, dataDir: options.dataDir, logger: options.logger.child({ part: 'db' }) });
  try {
    const row = await store.auditHead();
    if (!row) {
      console.error('the audit log is empty');
      return 1;
    }
    console.log(JSON.stringify(signAuditHead(signer, { seq: row.seq, hash: row.hash, at: row.at }, 'ketwin audit head'), null, 2));
    return 0;
  } finally {
    await store.close();
  }
}

/** Adds a user with a generated password, printed once: there is no default password. */
async function runUserAdd(options: KetwinOptions, name: string, role: string, sites: string): Promise<number> {
  const users = createFileUserDirectory(options.usersFile ?? join(options.dataDir, 'users.json'));
  const password = generatePassword();
  await createUser(users, { name, role: role as Role, sites: sites === '*' ? '*' : sites.split(','), password });
  console.log(`user ${name} (${role}) added; password (shown once): ${password}`);
  return 0;
}

/**
 * `user unlock NAME` lifts a sign-in lockout (in the database: with PGlite, while ketwin is stopped);
 * `disable`, `enable`, `remove` and `role` change the users file, and the user's open sessions end at their next request.
 */
async function runUserChange(options: KetwinOptions, [verb, name, role, sites]: string[]): Promise<number> {
  const users = createFileUserDirectory(options.usersFile ?? join(options.dataDir, 'users.json'));
  if (verb === 'unlock') {
    const store = await openStore({ url: options.databaseUrl, dataDir: options.dataDir, logger: options.logger.child({ part: 'db' }) });
    try {
      const lifted = await store.signInUnlock(userLimitKey(name!));
      console.log(lifted ? `user ${name}: sign-in lockout lifted` : `user ${name}: no failed sign-ins on record`);
      return 0;
    } finally {
      await store.close();
    }
  }
  const change =
    verb === 'disable'
      ? { disabled: true }
      : verb === 'enable'
        ? { disabled: false }
        : verb === 'role'
          ? { role: role as Role, sites: sites === '*' ? ('*' as const) : sites!.split(',') }
          : undefined;
  const done = verb === 'remove' ? await users.remove(name!) : change ? await users.update(name!, change) : undefined;
  if (done === undefined) {
    console.error(USAGE);
    return 2;
  }
  console.log(done ? `user ${name}: ${verb} done; their open sessions end` : `no user ${name}`);
  return done ? 0 : 1;
}

/**
 * Closes on SIGINT or SIGTERM. Everything is closed then, so the process ends by itself; if a handle is
 * still open 10 s later, says so and goes.
 */
function closeOnSignal(options: KetwinOptions, closing: { close(): Promise<void> }, stopped: () => Record<string, unknown>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.logger.info({ signal }, 'shutting down');
    closing.close().then(
      () => {
        options.logger.info(stopped(), 'stopped');
        setTimeout(() => {
          options.logger.error('a handle was still open 10 s after shutdown; exiting anyway');
          process.exit(1);
        }, 10_000).unref();
      },
      (error: unknown) => {
        options.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function runEdge(options: KetwinOptions): Promise<void> {
  const nats = options.nats ?? DEFAULT_NATS;
  const edge = await startEdge({
    sites: await loadSites(options.sitesDir),
    dataDir: options.dataDir,
    simulate: options.simulate,
    logger: options.logger,
    bus: { servers: nats.servers, prefix: nats.prefix },
    healthEveryMs: options.edgeHealthMs ?? 10_000,
    bufferSamples: options.edgeBufferSamples,
  });
  const sites = edge.sites.map((s) => s.id);
  options.logger.info({ sites, nats: nats.servers, prefix: nats.prefix }, 'ketwin edge is running');
  console.log(`\n  ketwin edge is running: sites ${sites.join(', ')} → ${nats.servers.join(', ')} (subjects ${nats.prefix}.<site>.samples)\n  (Ctrl-C to stop)\n`);
  closeOnSignal(options, edge, () => {
    const { collection, bus } = edge.stats();
    return { collected: collection.collected, published: bus.samples, leftOnDisk: collection.buffer.onDisk };
  });
}

async function runStart(options: KetwinOptions): Promise<void> {
  const ketwin = await startKetwin(options);
  options.logger.info({ url: ketwin.url, sites: ketwin.sites.map((s) => s.id) }, 'ketwin is running');
  console.log(`\n  ketwin is running: ${ketwin.url}\n  (Ctrl-C to stop)\n`);
  closeOnSignal(options, ketwin, () => ({ writer: ketwin.writerStats() }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== 0) process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
