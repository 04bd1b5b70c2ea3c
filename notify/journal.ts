/**
 * The notifier's durable state, one JSON file under the data dir (`<dataDir>/notify/journal.json`),
 * rewritten atomically (temp file + rename). Messages claimed from db/'s outbox are fanned out
 * into per-subscriber queues here and flushed before the outbox rows are marked delivered, so a
 * crash between the two only repeats work that the delivery keys then skip.
 * Without a file the state lives in memory (tests, benches).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CapMsgType, CapReference, CapStatus } from './cap/cap-document.ts';
import { NotifyError } from './errors.ts';

export interface PendingDelivery {
  /** idempotency key, sent as the Idempotency-Key header */
  key: string;
  /** the rendered document in `docs` */
  doc: string;
  alertId: string;
  site: string;
  enqueuedAt: number;
  attempts: number;
  nextAt?: number;
  lastError?: string;
  /** automatic retry rounds of this delivery after it died (notify/webhook/retry.ts DeadLetterPolicy) */
  rounds?: number;
}

export interface DeadLetter extends PendingDelivery {
  deadAt: number;
  /** when it goes back to the queue by itself; undefined once it stays dead */
  retryAt?: number;
  /** why it stays dead, once the automatic rounds are spent */
  reason?: string;
}

/** The latest CAP document of one alert, for the feed and for late escalation steps. */
export interface IssuedCap {
  alertId: string;
  site: string;
  identifier: string;
  sent: number;
  msgType: CapMsgType;
  status: CapStatus;
  headline: { zh: string; en: string };
  /** keys in `docs` of the CAP and JSON renderings */
  capDoc: string;
  jsonDoc: string;
}

export interface EscalationState {
  alertId: string;
  site: string;
  raisedAt: number;
  exercise: boolean;
  /** steps of the policy reached so far */
  reached: number;
  /** subscriber keys told so far */
  told: string[];
  stopped?: { by: string; at: number; action: string };
  closed: boolean;
}

export interface JournalState {
  version: 1;
  /** last CAP sequence number used */
  sequence: number;
  /** every CAP message issued per alert, oldest first (for `references`) */
  references: Record<string, CapReference[]>;
  latest: Record<string, IssuedCap>;
  docs: Record<string, string>;
  queues: Record<string, PendingDelivery[]>;
  dead: Record<string, DeadLetter[]>;
  escalations: Record<string, EscalationState>;
  /** outbox keys already fanned out, newest last (bounded) */
  processed: string[];
}

export interface Journal {
  readonly state: JournalState;
  /** something changed: written soon (coalesced) */
  changed(): void;
  /** written now; resolves when everything changed so far is on disk */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function emptyState(): JournalState {
  return { version: 1, sequence: 0, references: {}, latest: {}, docs: {}, queues: {}, dead: {}, escalations: {}, processed: [] };
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

export async function openFileJournal(file: string, options: { delayMs?: number } = {}): Promise<Journal> {
  let state = emptyState();
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<JournalState>;
    if (parsed.version !== 1) throw new Error(`unknown journal version ${String(parsed.version)}`);
    state = { ...emptyState(), ...parsed } as JournalState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new NotifyError('JOURNAL_FAILED', `cannot read the delivery journal ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  await mkdir(dirname(file), { recursive: true });
  const delayMs = options.delayMs ?? 1_000;
  let dirty = false;
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const writeOnce = async (): Promise<void> => {
    dirty = false;
    collectDocs(state);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(state), { mode: 0o600 });
    await rename(temp, file);
  };
  const write = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing ??= (async () => {
      try {
        while (dirty) await writeOnce();
      } finally {
        writing = undefined;
      }
    })();
    return writing;
  };
  const journal: Journal = {
    get state() {
      return state;
    },
    changed() {
      dirty = true;
      timer ??= setTimeout(() => void write().catch(() => {}), delayMs);
    },
    async flush() {
      dirty = true;
      if (writing) await writing.catch(() => {});
      try {
        await write();
      } catch (error) {
        throw new NotifyError('JOURNAL_FAILED', `cannot write the delivery journal ${file}: ${(error as Error).message}`, { cause: error });
      }
    },
    async close() {
      await journal.flush();
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
  return journal;
}
