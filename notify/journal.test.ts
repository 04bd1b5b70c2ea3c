import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyState, openFileJournal, type JournalState, type PendingDelivery } from './journal.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ketwin-journal-'));
  dirs.push(d);
  return d;
}
const delivery = (key: string, doc = 'cap:1'): PendingDelivery => ({ key, doc, alertId: 'a1', site: 's1', enqueuedAt: 1000, attempts: 0 });
const copy = (state: JournalState): JournalState => JSON.parse(JSON.stringify(state)) as JournalState;

/** what the notifier and its workers do to the state, in a few steps */
function work(state: JournalState, step: number): void {
  if (step === 0) {
    state.sequence = 3;
    state.docs['cap:1'] = '<alert>一</alert>';
    state.docs['json:1'] = '{"id":1}';
    state.latest['a1'] = {
      alertId: 'a1',
      site: 's1',
      identifier: 'id-1',
      sent: 1000,
      msgType: 'Alert',
      status: 'Actual',
      headline: { zh: '火', en: 'fire' },
      capDoc: 'cap:1',
      jsonDoc: 'json:1',
    };
    state.references['a1'] = [{ sender: 'ketwin@test', identifier: 'id-1', sent: 1000 }];
    state.queues['city'] = [delivery('k1'), delivery('k2'), delivery('k3')];
    state.queues['team'] = [delivery('k1', 'json:1')];
    state.escalations['a1'] = { alertId: 'a1', site: 's1', raisedAt: 1000, exercise: false, reached: 1, told: ['city'], closed: false };
    state.processed.push('o1', 'o2');
  } else if (step === 1) {
    state.queues['city']!.shift(); // delivered
    state.queues['city']![0]!.attempts = 2; // retrying
    state.queues['city']![0]!.nextAt = 5000;
    state.queues['city']!.push(delivery('k4'));
    state.dead['team'] = [{ ...state.queues['team']![0]!, deadAt: 2000, retryAt: 9000 }];
    delete state.queues['team'];
    state.escalations['a1']!.reached = 2;
    state.escalations['a1']!.told.push('team');
    state.processed.push('o3');
    state.processed.splice(0, 1);
  } else {
    state.queues['city'] = [state.queues['city']![1]!, state.queues['city']![0]!]; // reordered: the whole list
    state.dead['team']![0]!.retryAt = undefined;
    state.dead['team']![0]!.reason = 'gave up';
    delete state.latest['a1']; // pruned: its documents go too
    state.dead['team'] = [];
    state.queues['city'] = [];
    state.sequence = 4;
  }
}

describe('the notifier journal: a log of changes on the durable queue', () => {
  it('replays to the state it was flushed in, after every step', async () => {
    const dir = tempDir();
    for (let step = 0; step < 3; step++) {
      const journal = await openFileJournal(dir);
      work(journal.state, step);
      journal.changed();
      await journal.flush();
      const expected = copy(journal.state);
      await journal.close();
      const again = await openFileJournal(dir);
      expect(copy(again.state)).toEqual(expected);
      await again.close();
    }
    expect(readdirSync(join(dir, 'journal')).every((f) => f.endsWith('.ndjson'))).toBe(true);
  });

  it('compacts the log into a snapshot once it has grown past twice the last one, and replays the same', async () => {
    const dir = tempDir();
    const journal = await openFileJournal(dir, { compactBytes: 4000 });
    journal.state.queues['city'] = [];
    for (let i = 0; i < 300; i++) {
      journal.state.queues['city']!.push(delivery(`k${i}`));
      if (i % 3 === 0) journal.state.queues['city']!.shift();
      journal.state.processed.push(`o${i}`);
      await journal.flush();
    }
    const expected = copy(journal.state);
    await journal.close();
    const files = readdirSync(join(dir, 'journal'));
    expect(files.length).toBeLessThanOrEqual(2); // the last snapshot and what came after it
    const again = await openFileJournal(dir);
    expect(copy(again.state)).toEqual(expected);
    await again.close();
  });

  it('skips a record cut short by a crash (reported), keeping every record before it', async () => {
    const dir = tempDir();
    const journal = await openFileJournal(dir);
    work(journal.state, 0);
    await journal.flush();
    const expected = copy(journal.state);
    work(journal.state, 1);
    await journal.flush();
    await journal.close();
    const segment = readdirSync(join(dir, 'journal'))
      .filter((f) => f.endsWith('.ndjson'))
      .sort()
      .at(-1)!;
    // the last record, cut short: rewrite the file without its tail
    const path = join(dir, 'journal', segment);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    writeFileSync(path, `${lines.slice(0, -1).join('\n')}\n${lines.at(-1)!.slice(0, 40)}`);
    const warned: unknown[] = [];
    const logger = { warn: (o: unknown) => warned.push(o), info() {}, error() {} } as never;
    const again = await openFileJournal(dir, { logger });
    expect(copy(again.state)).toEqual(expected);
    expect(warned).toHaveLength(1);
    await again.close();
  });

  it('reads the journal.json an older version kept once, as the log’s first snapshot', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const old = emptyState();
    work(old, 0);
    writeFileSync(join(dir, 'journal.json'), JSON.stringify(old));
    const journal = await openFileJournal(dir);
    expect(copy(journal.state)).toEqual(copy(old));
    expect(existsSync(join(dir, 'journal.json'))).toBe(false);
    work(journal.state, 1);
    await journal.close();
    const expected = copy(journal.state);
    const again = await openFileJournal(dir);
    expect(copy(again.state)).toEqual(expected); // pending deliveries, dead letters and escalations kept
    await again.close();
  });

  it('refuses a journal.json it cannot read, naming it', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'journal.json'), '{"version": 1, "queues": ');
    await expect(openFileJournal(dir)).rejects.toMatchObject({ code: 'JOURNAL_FAILED', message: expect.stringContaining('journal.json') });
  });
});
