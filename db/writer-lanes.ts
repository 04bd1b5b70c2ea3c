/**
 * The writer's lanes, each a durable queue (queue/) read by the writer's consumer "store": samples
 * and audit entries in the spill directory when there is one, everything else in memory. Samples
 * overflow to disk past the writer's memory bound (spill: bounded by bytes, oldest dropped and
 * counted); audit entries are on disk, synced, before audit() returns, and never dropped. An older
 * version's spill files (spill-<seq>-<rows>.jsonl, one batch each) are read once and moved in.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Alert, ClauseResult, Sample, SiteScore } from '../model/index.ts';
import { jsonCodec, openDurableQueue, sampleCodec, type DurableQueue, type QueueConsumer } from '../queue/index.ts';
import type { AuditEntry } from './audit.ts';
import type { Lane as LaneName } from './dead-letters.ts';

export const STORE_CONSUMER = 'store';

export interface Lane<T> {
  name: LaneName;
  queue: DurableQueue<T>;
  /** read in this order: the lane's own queue, then queues taken from elsewhere (the collector buffer's samples) */
  sources: QueueConsumer<T>[];
  write: (rows: T[]) => Promise<void>;
}

export interface WriterLanes {
  samples: Lane<Sample>;
  results: Lane<ClauseResult>;
  scores: Lane<SiteScore>;
  alerts: Lane<Alert>;
  audits: Lane<AuditEntry>;
  /** in the order a cycle writes them */
  all: Lane<unknown>[];
  /** samples and audit entries are kept on disk */
  durable: boolean;
}

export interface LaneWrites {
  samples(rows: Sample[]): Promise<void>;
  results(rows: ClauseResult[]): Promise<void>;
  scores(rows: SiteScore[]): Promise<void>;
  alerts(rows: Alert[]): Promise<void>;
  audits(rows: AuditEntry[]): Promise<void>;
}

export function openWriterLanes(options: { spillDir?: string; maxSpillBytes: number; maxBatch: number; log: Logger; write: LaneWrites }): WriterLanes {
  const { spillDir, log } = options;
  const onError = (error: unknown) => log.error({ err: (error as Error).message, dir: spillDir }, 'store writer cannot spill to disk');
  const onCorrupt = (damage: { file: string; line: number; error: string }) => log.warn(damage, 'store writer skipped a damaged line of its spill');
  const lane = <T>(name: LaneName, queue: DurableQueue<T>, write: (rows: T[]) => Promise<void>): Lane<T> => ({ name, queue, sources: [queue.consumer(STORE_CONSUMER)], write });
  const memory = <T>() => openDurableQueue<T>({ consumers: [STORE_CONSUMER] });

  const sampleQueue =
    spillDir === undefined
      ? memory<Sample>()
      : openDurableQueue<Sample>({
          dir: join(spillDir, 'samples'),
          codec: sampleCodec,
          consumers: [STORE_CONSUMER],
          logging: 'spill',
          maxBytes: options.maxSpillBytes,
          segmentRows: options.maxBatch,
          onError,
          onCorrupt,
          onDrop: (rows) => log.warn({ rows, dir: spillDir }, 'store writer spill full: oldest samples dropped'),
        });
  // audit entries are never dropped: no bound, and each one synced to disk
  const auditQueue =
    spillDir === undefined
      ? memory<AuditEntry>()
      : openDurableQueue<AuditEntry>({ dir: join(spillDir, 'audit'), codec: jsonCodec<AuditEntry>(), consumers: [STORE_CONSUMER], fsync: true, onError, onCorrupt });
  if (spillDir !== undefined) {
    upgradeSpill(spillDir, decodeLegacySample, sampleQueue, () => sampleQueue.spill(sampleQueue.stats().inMemory), log);
    upgradeSpill(
      join(spillDir, 'audit'),
      (line) => JSON.parse(line) as AuditEntry,
      auditQueue,
      () => auditQueue.commit(),
      log,
    );
  }
  const lanes = {
    samples: lane('samples', sampleQueue, options.write.samples),
    results: lane('results', memory<ClauseResult>(), options.write.results),
    scores: lane('scores', memory<SiteScore>(), options.write.scores),
    alerts: lane('alerts', memory<Alert>(), options.write.alerts),
    audits: lane('audit', auditQueue, options.write.audits),
  };
  return { ...lanes, all: [lanes.audits, lanes.samples, lanes.results, lanes.scores, lanes.alerts] as Lane<unknown>[], durable: spillDir !== undefined };
}

const LEGACY = /^spill-(\d{12})-(\d+)\.jsonl$/;

/** The older spill's sample lines: the sample as an object, a non-finite value as text with `nonFinite`. */
function decodeLegacySample(line: string): Sample {
  const row = JSON.parse(line) as Sample & { nonFinite?: boolean };
  if (row.nonFinite !== true) return row;
  const { nonFinite: _, ...sample } = row;
  return { ...sample, value: Number(sample.value) };
}

/** Moves an older version's spill files of `dir` into `queue` (oldest first), makes them durable there, then removes them. */
function upgradeSpill<T>(dir: string, decode: (line: string) => T, queue: DurableQueue<T>, persist: () => void, log: Logger): void {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => LEGACY.test(n))
      .sort();
  } catch {
    return; // no such folder
  }
  if (names.length === 0) return;
  let rows = 0;
  for (const name of names) {
    const lines = readFileSync(join(dir, name), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line === '') return;
      try {
        queue.append(decode(line));
        rows++;
      } catch (error) {
        log.warn({ file: join(dir, name), line: i + 1, error: (error as Error).message }, 'store writer skipped a damaged line of an older spill file');
      }
    });
    persist(); // a crash before the file goes repeats its move: the database keeps one copy (its keys)
    rmSync(join(dir, name), { force: true });
  }
  log.info({ dir, files: names.length, rows }, 'store writer moved an older version’s spill files into its queue');
}
