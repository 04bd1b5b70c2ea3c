/**
 * The notifier's durable state: per-subscriber queues of deliveries, dead letters, escalations, the
 * CAP sequence and documents. In a file journal it is an append-only log of changes on the durable
 * queue (`<dataDir>/notify/journal/`, queue/): each flush appends one record of what changed since
 * the last (journal-changes.ts), synced, and a replay of the log rebuilds the state on open; when the
 * log has grown past twice its last snapshot it is compacted into a new snapshot. Messages claimed
 * from db/'s outbox are fanned out into the queues here and flushed before the outbox rows are marked
 * delivered, so a crash between the two only repeats work that the delivery keys then skip.
 * Without a file the state lives in memory (tests, benches).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { jsonCodec, openDurableQueue, type QueueStats } from '../queue/index.ts';
import { NotifyError } from './errors.ts';
import { applyRecord, diffState, shadowOf, type JournalRecord } from './journal-changes.ts';
import { emptyState, type JournalState } from './journal-state.ts';

export type { DeadLetter, EscalationState, IssuedCap, JournalState, PendingDelivery } from './journal-state.ts';
export { emptyState } from './journal-state.ts';

export interface Journal {
  readonly state: JournalState;
  /** something changed: written soon (coalesced) */
  changed(): void;
  /** written now; resolves when everything changed so far is on disk */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** the log's figures (a file journal only) */
  stats?(): QueueStats;
}

export function createMemoryJournal(state: JournalState = emptyState()): Journal {
  return { state, changed() {}, flush: async () => {}, close: async () => {} };
}

/** Drops documents nothing refers to any more. */
export function collectDocs(state: JournalState): void {
  const used = new Set<string>();
  for (const q of Object.values(state.queues)) for (const d of q) used.add(d.doc);
  for (const q of Object.values(state.dead)) for (const d of q) used.add(d.doc);
  for (const l of Object.values(state.latest)) used.add(l.capDoc).add(l.jsonDoc);
  for (const key of Object.keys(state.docs)) if (!used.has(key)) delete state.docs[key];
}

export interface FileJournalOptions {
  /** changes are written this long after the first one (coalesced); default 1 s */
  delayMs?: number;
  /** the log is compacted once past this many bytes and twice its last snapshot; default 1 MiB */
  compactBytes?: number;
  logger?: Logger;
}

/**
 * The journal of `<dir>/journal/` (created if missing). A journal an older version kept as one JSON
 * file, `<dir>/journal.json`, is read once and becomes the log's first snapshot.
 */
export async function openFileJournal(dir: string, options: FileJournalOptions = {}): Promise<Journal> {
  const logDir = join(dir, 'journal');
  const fail = (what: string, error: unknown): NotifyError =>
    new NotifyError('JOURNAL_FAILED', `cannot ${what} the delivery journal ${logDir}: ${(error as Error).message}`, { cause: error });
  let log: ReturnType<typeof openDurableQueue<JournalRecord>>;
  let state = emptyState();
  let records = 0;
  try {
    log = openDurableQueue<JournalRecord>({
      dir: logDir,
      codec: jsonCodec<JournalRecord>(),
      maxInMemory: 0,
      fsync: true,
      onCorrupt: (damage) => options.logger?.warn(damage, 'delivery journal: skipped a damaged record (cut short by a crash?)'),
    });
    for (const record of log.rows()) {
      state = applyRecord(state, record);
      records++;
    }
  } catch (error) {
    throw fail('read', error);
  }
  const legacy = join(dir, 'journal.json');
  if (existsSync(legacy)) {
    if (records === 0) {
      state = readLegacy(legacy);
      log.compact([{ snapshot: state }]);
      options.logger?.info({ from: legacy, to: logDir }, 'delivery journal moved into its log');
    }
    rmSync(legacy, { force: true });
  }
  const delayMs = options.delayMs ?? 1_000;
  const compactBytes = options.compactBytes ?? 2 ** 20;
  let shadow = shadowOf(state);
  let snapshotBytes = log.stats().bytes;
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;

  const write = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    collectDocs(state);
    const changes = diffState(shadow, state);
    if (changes.length > 0) {
      log.append({ changes });
      log.commit();
    }
    const bytes = log.stats().bytes;
    if (bytes > compactBytes && bytes > 2 * snapshotBytes) {
      log.compact([{ snapshot: state }]);
      snapshotBytes = log.stats().bytes;
      shadow = shadowOf(state);
    }
  };
  const journal: Journal = {
    get state() {
      return state;
    },
    changed() {
      dirty = true;
      timer ??= setTimeout(() => {
        try {
          write();
        } catch (error) {
          dirty = true;
          options.logger?.error({ err: error }, 'delivery journal: write failed; retried at the next change');
        }
      }, delayMs);
    },
    async flush() {
      dirty = true;
      try {
        write();
      } catch (error) {
        dirty = true;
        throw fail('write', error);
      }
    },
    async close() {
      await journal.flush();
      log.close();
    },
    stats: () => log.stats(),
  };
  return journal;
}

function readLegacy(file: string): JournalState {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<JournalState>;
    if (parsed.version !== 1) throw new Error(`unknown journal version ${String(parsed.version)}`);
    return { ...emptyState(), ...parsed } as JournalState;
  } catch (error) {
    throw new NotifyError('JOURNAL_FAILED', `cannot read the delivery journal ${file}: ${(error as Error).message}`, { cause: error });
  }
}
