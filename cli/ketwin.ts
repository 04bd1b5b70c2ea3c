/** The whole system in one process (`start`), or central's part of it fed from JetStream (`central`): the composition root. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { asyncScheduler } from 'rxjs';
import { systemClock, type Sample, type Site } from '../model/index.ts';
import { renderClauseTable } from '../standards/index.ts';
import type { SiteCollection, Source } from '../collector/index.ts';
import { createInProcessBus } from '../bus/index.ts';
import { createEngine, LIGHTNING_ALERT_KIND, lightningHistoryPoints, lightningReviewClause, lightningReviewRecord, reviewLightningWarnings } from '../engine/index.ts';
import { openStore, createStoreWriter, runRetention, storeSignInLimiter, type AuditEntry, type StoreWriterStats } from '../db/index.ts';
import {
  createApp,
  startServer,
  createFileUserDirectory,
  checkResponsibleUsers,
  siteWithEvidence,
  fromSiteEvidence,
  toSiteEvidence,
  createDemoUsers,
  createRescorer,
  type LiveTwin,
  type ReadinessChecks,
  type MetricsSource,
  standingTransfers,
  TRANSFER_AUDIT_ACTIONS,
  MAX_DECLARED_MS,
  createExerciseDesk,
  endedExerciseAlert,
  loadPastExercises,
  loadReportSigner,
  type InspectionLog,
} from '../ui/server/index.ts';
import { createNotifier, loadSubscribers } from '../notify/index.ts';
import type { DepotSim } from '../sim/index.ts';
import { startCentralWorker, type CentralWorker } from './central-worker.ts';
import { startCollectors } from './collectors.ts';
import { loadConfiguration } from './configuration.ts';
import { DEFAULT_NATS, type KetwinOptions } from './options.ts';
import { startSimulatedDepots } from './simulated-depots.ts';
import { startSimulatedDistrict } from './simulated-district.ts';
import { scenarioLibrary } from './exercise-scenarios.ts';

const RETENTION_EVERY_MS = 60 * 60 * 1000;
/** the lightning review runs this long after an all clear: the writer has stored the transition by then */
const LIGHTNING_REVIEW_AFTER_CLEAR_MS = 10_000;

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
    // the store opens while the simulated depots start: a new embedded database is made in a child process, on another core
    const opening = openStore({ url: options.databaseUrl, dataDir: options.dataDir, samplesPartitionMs: options.samplesPartitionMs, logger: logger.child({ part: 'db' }) });
    let sims: DepotSim[] = [];
    try {
      // `ketwin start` runs the simulated devices in a process of their own (simulator-process.ts) and passes their sites
      if (options.simulatedSites) sites = await options.simulatedSites;
      else if (!central) {
        sims = await startSimulatedDepots(sites, options.simulate, logger, stops);
        if (options.simulate) sites = sims.map((sim) => sim.siteWithEndpoints());
        // the early-works district (issue 27) beside the depots: a second class of target through the same parts
        sites = [...sites, ...(await startSimulatedDistrict(options.simulate, options.dataDir, logger, stops))];
      }
    } catch (error) {
      await opening.then(
        (store) => store.close(),
        () => undefined,
      );
      throw error;
    }

    const store = await opening;
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
    // central: the engine runs only the sites whose lease this worker holds, each added as it is taken (central-worker.ts)
    const engine = createEngine({ sites: central ? [] : sites, standards: configuration.standards, scheduler: asyncScheduler, logger: logger.child({ part: 'engine' }) });
    stops.push(() => engine.dispose());
    if (!central) {
      // open alarms come back as they were (acknowledged, shelved, escalated): a restart raises no duplicates
      // an exercise's alerts are not the live twin's: an exercise ends with the process that ran it, and those it left
      // open are cleared, so that every team is told it is over (CAP Cancel, marked Exercise) and no escalation goes on
      const restarted = systemClock.now();
      for (const site of sites) {
        const open = await store.openAlerts(site.id);
        engine.restoreAlerts(open.filter((a) => a.exercise !== true));
        for (const a of open) if (a.exercise === true) writer.alert(endedExerciseAlert(a, Math.max(restarted, a.changedAt), 'system:exercise', 'exercise ended by a restart'));
      }
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
    }
    let collection: SiteCollection | undefined;
    let worker: CentralWorker | undefined;
    /** the sites this process runs: all of them, or under `central` those it holds the lease of */
    let owned: () => readonly string[] = () => sites.map((s) => s.id);
    const running = () => sites.filter((s) => owned().includes(s.id));
    const subscriptions = [
      engine.results$.subscribe((r) => {
        if (!worker?.holds(r)) writer.result(r);
      }),
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
      for (const site of running()) {
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

    let newestSampleTs = 0;
    const took = (batch: readonly Sample[]) => {
      for (const sample of batch) if (sample.ts > newestSampleTs) newestSampleTs = sample.ts;
    };
    if (central) {
      // central: samples of the sites this worker holds the lease of, from their durable consumers, stored and then into the engine
      const started = startCentralWorker({
        sites: () => sites,
        engine,
        store,
        nats: options.nats ?? DEFAULT_NATS,
        taken: took,
        record: (r) => writer.result(r),
        ...(central.leaseTtlMs ? { leaseTtlMs: central.leaseTtlMs } : {}),
        ...(options.edgeHealthMs ? { edgeHealthMs: options.edgeHealthMs } : {}),
        logger,
      });
      worker = started;
      owned = () => started.owned();
      stops.push(() => started.stop());
    } else {
      // sources never wait for the engine or the writer: a bounded buffer between them spills to disk,
      // and what a stop leaves unconsumed is delivered first at the next start. The writer reads the same
      // samples from the buffer and acks them after the database committed them: a kill loses none.
      // The buffer hands the engine's samples over the telemetry bus (in one process: in memory)
      const bus = createInProcessBus();
      stops.push(() => bus.close());
      await bus.subscribeSamples({
        name: 'engine',
        handle: (batch) => {
          for (const sample of batch) engine.ingest(sample);
          took(batch);
        },
      });
      const origin = randomUUID();
      const started = await startCollectors({
        sites,
        bufferDir: join(options.dataDir, 'buffer'),
        // the writer's backlog waits here now: as many samples in memory as its own buffer held before the queue
        buffer: { consumers: ['db'], maxInMemory: 500_000 },
        dataDir: options.dataDir,
        logger: logger.child({ part: 'collector' }),
        consume: (batch, at) => bus.publishSamples(batch, { origin, ...at }),
      });
      collection = started;
      writer.takeSamples(started.consumer('db'));
      stops.push(() => started.stop());
    }
    const samplesIngested = () => worker?.stats().samples ?? collection?.stats().buffer.delivered ?? 0;
    const sources: Source[] = (collection?.sources ?? []).map(({ source }) => source);
    const sourceSites = new Map<Source, string>((collection?.sources ?? []).map(({ site, source }) => [source, site]));

    const live: LiveTwin = {
      sites: running,
      snapshot: (id) => engine.snapshot(id),
      clauses: (id) => engine.clauses(id),
      events$: engine.events$,
      alarmHealth: (id) => engine.health(id),
      // the standard the engine scores the site against: its verdicts name it
      standard: (id) => configuration.standards.find((s) => s.key === engine.clauses(id)[0]?.standard),
      // central: the edge reading the site's devices at the depot, as its health beats say
      edge: (id) => worker?.edges().find((e) => e.site === id),
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
        ...(worker ? [{ name: 'bus', ...worker.busReady() }] : []),
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
      samplesIngested,
      ...(collection ? { collectorBuffer: () => collection!.stats().buffer } : {}),
      queues: () => {
        const b = collection?.stats().buffer;
        const journal = notifier.journalStats();
        return [
          ...(b ? [{ queue: 'collector-buffer', rows: b.depth, bytes: b.bytes, segments: b.segments, dropped: b.dropped, corrupt: b.corrupt }] : []),
          ...Object.entries(writer.queueStats()).map(([lane, q]) => ({ queue: `db-writer-${lane}`, ...q })),
          ...(journal ? [{ queue: 'notify-journal', ...journal }] : []),
        ];
      },
      // stored telemetry behind the newest sample the engine took; nothing waiting is no lag
      dbLagMs: () => {
        const w = writer.stats();
        return w.buffered + w.spilledRows === 0 ? 0 : Math.max(0, newestSampleTs - w.newestWrittenSampleTs);
      },
      sources: () => [
        ...sources.map((s) => ({ id: s.id, site: sourceSites.get(s) ?? '', connected: s.stats().online, samples: s.stats().samples })),
        // central: each owned site's edge (connected while its health beats come) and the devices it reports
        ...(worker?.edges() ?? []).flatMap((e) => [
          { id: 'edge', site: e.site, connected: !e.silent, ...(e.published !== undefined ? { samples: e.published } : {}) },
          ...e.sources.map((s) => ({ id: s.id, site: e.site, connected: s.online, ...(s.samples !== undefined ? { samples: s.samples } : {}) })),
        ]),
      ],
    };
    const inspections: InspectionLog = {
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
    };
    // exercises on shadow twins: their alerts are stored with their outbox rows like the live ones (notify/ marks them Exercise)
    const reportKeys = join(options.dataDir, 'keys');
    let reportSigner: ReturnType<typeof loadReportSigner> | undefined;
    const exerciseDir = join(options.dataDir, 'exercises');
    const exercises = createExerciseDesk({
      live,
      standards: configuration.standards,
      scenarios: scenarioLibrary(),
      publish: (alert) => writer.alert(alert),
      inspections,
      signer: () => (reportSigner ??= loadReportSigner(reportKeys)),
      reportDir: exerciseDir,
      // those of earlier runs, to review (one running when the last run ended is stopped)
      past: await loadPastExercises(exerciseDir, logger.child({ part: 'exercise' })),
      audit,
      now: systemClock.now,
      logger: logger.child({ part: 'exercise' }),
    });
    stops.push(() => exercises.close());
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
      inspections,
      exercises,
      audit,
      reports: { keyDir: reportKeys },
      // the monthly report names the audit chain's head it was made from
      auditHead: () => store.auditHead(),
      // re-scoring a stored period under another loaded version of the standard
      rescore: createRescorer(configuration.standards, { logger: logger.child({ part: 'rescore' }) }),
      cap: notifier,
      standards: configuration.standards.map((s) => ({ key: s.key, title: s.title, markdown: renderClauseTable(s) })),
      health,
      metrics,
      metricsToken: options.metricsToken,
    });
    const server = await startServer({ app, port: options.port, host: options.host });
    stops.push(() => server.close());

    return { url: server.url, sites, sims, writerStats: () => writer.stats(), samplesIngested, close };
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
