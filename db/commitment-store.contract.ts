/** CommitmentStore's contract, run by db/store.contract.ts against every backend. */
import { expect, it } from 'vitest';
import type { CommitmentStore, SafetyCommitment } from './commitment-store.ts';
import { T0 } from './store-contract-rows.ts';

const commitment = (site: string, day: string, by: string, allNormal: boolean): SafetyCommitment => ({
  site,
  day,
  signedBy: by,
  signedAt: T0,
  allNormal,
  statement: allNormal ? '各重大危险源运行正常' : '罐区T101事件处置中',
  facts: { openIncidents: allNormal ? [] : [{ id: 'a1', kind: 'hazard-tank-fire' }], lightning: null },
});

export function commitmentStoreContract(store: () => CommitmentStore): void {
  it('keeps one commitment per site and day: a second signature of the day stores nothing', async () => {
    const first = commitment('cm-a', '2026-12-07', 'manager', true);
    expect(await store().signCommitment(first)).toEqual(first);
    expect(await store().signCommitment(commitment('cm-a', '2026-12-07', 'li.gong', false))).toBeUndefined();
    expect(await store().signCommitment(commitment('cm-a', '2026-12-08', 'li.gong', false))).toMatchObject({
      day: '2026-12-08',
      allNormal: false,
      facts: { openIncidents: [{ id: 'a1' }] },
    });
    expect((await store().siteCommitments('cm-a', 10)).map((c) => [c.day, c.signedBy])).toEqual([
      ['2026-12-08', 'li.gong'],
      ['2026-12-07', 'manager'],
    ]);
    expect(await store().siteCommitments('cm-a', 1)).toHaveLength(1);
  });

  it("answers a day's commitments of the sites asked for, by site", async () => {
    await store().signCommitment(commitment('cm-c', '2026-12-09', 'x', true));
    await store().signCommitment(commitment('cm-b', '2026-12-09', 'y', false));
    await store().signCommitment(commitment('cm-d', '2026-12-10', 'z', true));
    expect((await store().commitmentsOn('2026-12-09', ['cm-b', 'cm-c', 'cm-d'])).map((c) => c.site)).toEqual(['cm-b', 'cm-c']);
    expect((await store().commitmentsOn('2026-12-09', ['cm-c'])).map((c) => c.signedBy)).toEqual(['x']);
    expect(await store().commitmentsOn('2026-12-09', [])).toEqual([]);
    expect((await store().commitmentsOn('2026-12-10')).map((c) => c.site)).toContain('cm-d');
  });
}
