/**
 * The notifier's state as a log of changes. The notifier and its workers change the journal's state in
 * place; at each flush the journal compares the state with what its log already says (a shadow of it)
 * and appends one record of the changes: a delivery queued, retried or gone, a dead letter, an
 * escalation step, a CAP document issued or dropped. Replaying the records in order (from the last
 * snapshot) rebuilds the state. One record a flush: a record cut short by a crash is skipped whole.
 */
import { emptyState, type DeadLetter, type JournalState, type PendingDelivery } from './journal-state.ts';

type MapName = 'references' | 'latest' | 'docs' | 'escalations';
type ListName = 'queues' | 'dead';
const MAPS: readonly MapName[] = ['references', 'latest', 'docs', 'escalations'];
const LISTS: readonly ListName[] = ['queues', 'dead'];
type Item = PendingDelivery | DeadLetter;

export type JournalChange =
  | { op: 'sequence'; value: number }
  | { op: 'put'; map: MapName; key: string; value: unknown }
  | { op: 'delete'; map: MapName | ListName; key: string }
  /** a subscriber's whole list (when its order changed otherwise than by removals and appends) */
  | { op: 'list'; list: ListName; key: string; items: Item[] }
  | { op: 'remove'; list: ListName; key: string; keys: string[] }
  | { op: 'update'; list: ListName; key: string; items: Item[] }
  | { op: 'append'; list: ListName; key: string; items: Item[] }
  /** outbox keys fanned out: `add` at the end, then only the newest `keep` kept */
  | { op: 'processed'; add: string[]; keep: number; reset?: true };

/** One line of the journal's log. */
export type JournalRecord = { snapshot: JournalState } | { changes: JournalChange[] };

export function applyRecord(state: JournalState, record: JournalRecord): JournalState {
  if ('snapshot' in record) return { ...emptyState(), ...record.snapshot };
  for (const c of record.changes) applyChange(state, c);
  return state;
}

function applyChange(state: JournalState, c: JournalChange): void {
  const lists = state as unknown as Record<ListName, Record<string, Item[]>>;
  switch (c.op) {
    case 'sequence':
      state.sequence = c.value;
      return;
    case 'put':
      (state[c.map] as Record<string, unknown>)[c.key] = c.value;
      return;
    case 'delete':
      delete (state[c.map] as Record<string, unknown>)[c.key];
      return;
    case 'list':
      lists[c.list][c.key] = c.items;
      return;
    case 'remove': {
      const gone = new Set(c.keys);
      lists[c.list][c.key] = (lists[c.list][c.key] ?? []).filter((d) => !gone.has(d.key));
      return;
    }
    case 'update': {
      const byKey = new Map(c.items.map((d) => [d.key, d]));
      lists[c.list][c.key] = (lists[c.list][c.key] ?? []).map((d) => byKey.get(d.key) ?? d);
      return;
    }
    case 'append':
      (lists[c.list][c.key] ??= []).push(...c.items);
      return;
    case 'processed':
      if (c.reset) state.processed = [];
      state.processed.push(...c.add);
      if (state.processed.length > c.keep) state.processed.splice(0, state.processed.length - c.keep);
  }
}

/** What the log says so far: entries as JSON text (documents as the strings themselves), list orders, processed keys. */
export interface Shadow {
  sequence: number;
  maps: Record<MapName, Map<string, unknown>>;
  lists: Record<ListName, Map<string, { keys: string[]; json: Map<string, string> }>>;
  /** the newest processed key and how many are kept */
  processed: { last?: string; length: number };
}

export function shadowOf(state: JournalState): Shadow {
  const shadow: Shadow = {
    sequence: 0,
    maps: { references: new Map(), latest: new Map(), docs: new Map(), escalations: new Map() },
    lists: { queues: new Map(), dead: new Map() },
    processed: { length: 0 },
  };
  diffState(shadow, state);
  return shadow;
}

/** The changes from what the shadow says to `state`; the shadow then says `state`. */
export function diffState(shadow: Shadow, state: JournalState): JournalChange[] {
  const changes: JournalChange[] = [];
  if (state.sequence !== shadow.sequence) {
    changes.push({ op: 'sequence', value: state.sequence });
    shadow.sequence = state.sequence;
  }
  for (const map of MAPS) {
    const was = shadow.maps[map];
    const now = state[map] as Record<string, unknown>;
    // documents never change once issued: compared as strings; the others as JSON
    const form = map === 'docs' ? (v: unknown) => v : (v: unknown) => JSON.stringify(v);
    for (const [key, value] of Object.entries(now)) {
      const text = form(value);
      if (was.get(key) === text) continue;
      changes.push({ op: 'put', map, key, value });
      was.set(key, text);
    }
    for (const key of [...was.keys()]) {
      if (key in now) continue;
      changes.push({ op: 'delete', map, key });
      was.delete(key);
    }
  }
  for (const list of LISTS) diffLists(list, shadow.lists[list], state[list] as Record<string, Item[]>, changes);
  diffProcessed(shadow, state.processed, changes);
  return changes;
}

function diffLists(list: ListName, was: Shadow['lists'][ListName], now: Record<string, Item[]>, changes: JournalChange[]): void {
  for (const [key, items] of Object.entries(now)) {
    const json = new Map(items.map((d) => [d.key, JSON.stringify(d)]));
    const keys = items.map((d) => d.key);
    const before = was.get(key);
    was.set(key, { keys, json });
    if (before === undefined || json.size !== keys.length) {
      changes.push({ op: 'list', list, key, items });
      continue;
    }
    const kept = before.keys.filter((k) => json.has(k));
    const inOrder = kept.every((k, i) => keys[i] === k);
    if (!inOrder) {
      changes.push({ op: 'list', list, key, items });
      continue;
    }
    if (kept.length < before.keys.length) changes.push({ op: 'remove', list, key, keys: before.keys.filter((k) => !json.has(k)) });
    const updated = items.slice(0, kept.length).filter((d) => before.json.get(d.key) !== json.get(d.key));
    if (updated.length > 0) changes.push({ op: 'update', list, key, items: updated });
    if (items.length > kept.length) changes.push({ op: 'append', list, key, items: items.slice(kept.length) });
  }
  for (const key of [...was.keys()]) {
    if (key in now) continue;
    changes.push({ op: 'delete', map: list, key });
    was.delete(key);
  }
}

function diffProcessed(shadow: Shadow, now: string[], changes: JournalChange[]): void {
  const { last, length } = shadow.processed;
  const at = last === undefined ? -1 : now.lastIndexOf(last);
  if (last !== undefined && at === -1) {
    changes.push({ op: 'processed', add: [...now], keep: now.length, reset: true });
  } else if (at < now.length - 1 || now.length < length) {
    changes.push({ op: 'processed', add: now.slice(at + 1), keep: now.length });
  }
  shadow.processed = { last: now.at(-1), length: now.length };
}
