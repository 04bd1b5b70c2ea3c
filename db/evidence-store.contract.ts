/** EvidenceStore's contract, run by db/store.contract.ts against every backend. */
import { expect, it } from 'vitest';
import type { EvidenceStore } from './evidence-store.ts';
import { DAY, T0 } from './store-contract-rows.ts';
import type { StoreTarget } from './store-targets.ts';

export function evidenceStoreContract(store: () => EvidenceStore, target: () => StoreTarget): void {
  it('keeps inspections and certificates in the site YAML shape', async () => {
    const drill = { site: 'ev', kind: 'drill', subject: 'ev', doneAt: T0, by: '张工', validUntil: T0 + 180 * DAY, reference: 'DR-2025-03.pdf', notes: '全员疏散演练' };
    const siren = { site: 'ev', kind: 'siren-test', subject: 'SIREN1', doneAt: T0 + DAY, by: 'li' };
    await store().writeEvidence([drill, siren]);
    await store().writeEvidence([{ ...siren, notes: 'audible at the gate' }]);
    // the latest version of each record (every version: the next test)
    expect(await store().evidence('ev')).toEqual([
      expect.objectContaining({ ...siren, notes: 'audible at the gate', version: 2 }),
      expect.objectContaining({ ...drill, version: 1 }),
    ]);
    expect(await store().evidence('ev', { kind: 'drill' })).toEqual([expect.objectContaining(drill)]);
    expect(await store().evidence('ev', { asOf: T0 + 1 })).toEqual([expect.objectContaining(drill)]);
    expect(await store().evidence('ev', { subject: 'SIREN1', asOf: T0 })).toEqual([]);
  });

  it('keeps every version of an evidence record, with uploader and hash; the same content again is no new version', async () => {
    const drill = { site: 'evv', kind: 'drill', subject: 'evv', doneAt: T0, by: '张工', reference: 'DR-1' };
    const [v1] = await store().writeEvidence([{ ...drill, recordedBy: 'manager' }]);
    const [v2] = await store().writeEvidence([{ ...drill, notes: 'corrected head count', recordedBy: 'auditor' }]);
    const [again] = await store().writeEvidence([{ ...drill, notes: 'corrected head count', recordedBy: 'auditor' }]);
    expect(v1).toMatchObject({ version: 1, recordedBy: 'manager', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(v2).toMatchObject({ version: 2, recordedBy: 'auditor', notes: 'corrected head count' });
    expect(again).toEqual(v2);
    expect(v2!.hash).not.toBe(v1!.hash);
    const versions = await store().evidenceVersions('evv', 'drill', 'evv', T0);
    expect(versions.map((v) => [v.version, v.recordedBy, v.notes])).toEqual([
      [1, 'manager', undefined],
      [2, 'auditor', 'corrected head count'],
    ]);
    expect(await store().evidence('evv')).toEqual([v2]);
  });

  it('keeps what a measured record found: passed or not, and its figures (a valve stroke over its limit)', async () => {
    const stroke = {
      site: 'evm',
      kind: 'esv-stroke',
      subject: 'T201',
      doneAt: T0,
      by: 'ketwin (measured)',
      reference: 'esv_in: 200 s > 180 s (command)',
      passed: false,
      values: { strokeSeconds: 200 },
    };
    const good = { site: 'evm', kind: 'esv-stroke', subject: 'T202', doneAt: T0, by: 'ketwin (measured)', values: { strokeSeconds: 64 } };
    const [slow, ok] = await store().writeEvidence([stroke, good]);
    expect(slow).toMatchObject({ passed: false, values: { strokeSeconds: 200 } });
    expect(ok!.passed).toBeUndefined(); // passed, as every record is unless it says otherwise
    expect(await store().evidence('evm', { subject: 'T201' })).toEqual([expect.objectContaining(stroke)]);
    // figures are part of what is hashed: other figures under the same key are a new version
    const [again] = await store().writeEvidence([{ ...stroke, values: { strokeSeconds: 201 } }]);
    expect(again).toMatchObject({ version: 2 });
    expect(again!.hash).not.toBe(slow!.hash);
  });

  it('refuses UPDATE and DELETE of evidence (append-only)', async (ctx) => {
    const { admin, name } = target();
    if (admin === undefined) {
      ctx.annotate?.(`${name}: the store owns the only connection; the trigger is the same migration as on the other targets`);
      return;
    }
    await expect(admin(`UPDATE evidence_records SET notes = 'rewritten' WHERE site = 'evv'`)).rejects.toThrow(/append-only/);
    await expect(admin(`DELETE FROM evidence_records WHERE site = 'evv'`)).rejects.toThrow(/append-only/);
  });
}
