/** VerdictStore's contract, run by db/store.contract.ts against every backend. */
import { describe, expect, it } from 'vitest';
import type { ClauseResult, SiteScore } from '../model/index.ts';
import { failurePeriods } from './failures.ts';
import { MIN, result, score, T0 } from './store-contract-rows.ts';
import type { VerdictStore } from './verdict-store.ts';

const key = (r: ClauseResult): string => `${r.clause}/${r.subject}`;

export function verdictStoreContract(store: () => VerdictStore): void {
  describe('latest', () => {
    it('returns the latest verdict per (clause, subject) with its evidence', async () => {
      await store().writeResults([
        result('res', 'TANK-LEVEL-HH', 'T101', 'pass', T0),
        result('res', 'TANK-LEVEL-HH', 'T102', 'pass', T0 + 500),
        result('res', 'DIKE-CAPACITY', 'D1', 'unknown', T0),
        result('other', 'TANK-LEVEL-HH', 'T101', 'fail', T0 + 9000),
      ]);
      await store().writeResults([result('res', 'TANK-LEVEL-HH', 'T101', 'fail', T0 + 2000)]);
      const latest = await store().latestResults('res');
      expect(latest.sort((a, b) => key(a).localeCompare(key(b)))).toEqual([
        result('res', 'DIKE-CAPACITY', 'D1', 'unknown', T0),
        result('res', 'TANK-LEVEL-HH', 'T101', 'fail', T0 + 2000),
        result('res', 'TANK-LEVEL-HH', 'T102', 'pass', T0 + 500),
      ]);
      expect(await store().latestResults('nowhere')).toEqual([]);
    });

    it('returns the latest score; a score at the same instant replaces it', async () => {
      expect(await store().latestScore('sco')).toBeUndefined();
      await store().writeScores([score('sco', T0, 95), score('sco', T0 + 1000, 70), score('other', T0 + 5000, 10)]);
      expect(await store().latestScore('sco')).toEqual(score('sco', T0 + 1000, 70));
      await store().writeScores([score('sco', T0 + 1000, 92), score('sco', T0 + 1000, 93)]);
      expect(await store().latestScore('sco')).toEqual(score('sco', T0 + 1000, 93));
      // the live risk's history, oldest first, bounds included, other sites' left out
      expect(await store().scoreHistory('sco', T0, T0 + 1000)).toEqual([score('sco', T0, 95), score('sco', T0 + 1000, 93)]);
      expect(await store().scoreHistory('sco', T0 + 1, T0 + 5000)).toEqual([score('sco', T0 + 1000, 93)]);
    });

    it('records a retried batch of verdict changes once', async () => {
      const changes = [result('rty', 'TANK-LEVEL-HH', 'T101', 'pass', T0), result('rty', 'TANK-LEVEL-HH', 'T101', 'fail', T0 + 1000)];
      await store().writeResults(changes);
      await store().writeResults(changes);
      expect(await store().clauseHistory('rty', 'TANK-LEVEL-HH', 'T101')).toEqual(changes);
    });
  });

  describe('history', () => {
    it('answers the state as of any instant exactly as it was emitted then', async () => {
      // a replayed scenario: what the engine emitted, in order
      const emitted: { at: number; results: ClauseResult[]; score: SiteScore }[] = [];
      const current = new Map<string, ClauseResult>();
      for (let k = 0; k < 40; k++) {
        const at = T0 + k * 17 * MIN;
        const changes = [result('asof', k % 3 === 0 ? 'LEVEL' : 'GAS', `S${k % 4}`, k % 2 === 0 ? 'fail' : 'pass', at, k < 20 ? 'demo@1.0.0' : 'demo@1.1.0')];
        for (const c of changes) current.set(`${c.clause}/${c.subject}`, c);
        const s = score('asof', at, 100 - k);
        await store().writeResults(changes);
        await store().writeScores([s]);
        emitted.push({ at, results: [...current.values()], score: s });
      }
      for (const k of [0, 7, 19, 20, 39]) {
        const then = emitted[k]!;
        for (const at of [then.at, then.at + 16 * MIN]) {
          const state = await store().stateAsOf('asof', at);
          expect(state.results.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(then.results.sort((a, b) => key(a).localeCompare(key(b))));
          expect(state.score).toEqual(then.score);
          expect(state.standards).toEqual([...new Set(then.results.map((r) => r.standard))].sort());
        }
      }
      expect(await store().stateAsOf('asof', T0 - 1)).toEqual({ site: 'asof', at: T0 - 1, results: [], score: undefined, standards: [] });
    });

    it('gives how long a clause failed, with the evidence of each failure', async () => {
      const h = [
        result('fl', 'C', 'S', 'pass', T0),
        result('fl', 'C', 'S', 'fail', T0 + MIN),
        result('fl', 'C', 'S', 'unknown', T0 + 3 * MIN),
        result('fl', 'C', 'S', 'fail', T0 + 10 * MIN),
      ];
      await store().writeResults(h);
      const periods = failurePeriods(await store().clauseHistory('fl', 'C', 'S'), T0 + 15 * MIN);
      expect(periods).toEqual([
        { from: T0 + MIN, to: T0 + 3 * MIN, durationMs: 2 * MIN, evidence: h[1]!.evidence, standard: 'demo@1.0.0' },
        { from: T0 + 10 * MIN, durationMs: 5 * MIN, evidence: h[3]!.evidence, standard: 'demo@1.0.0' },
      ]);
    });
  });
}
