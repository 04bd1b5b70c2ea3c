/**
 * Issue 18, finding 4: evidence is append-only. A new upload under an existing record (same kind,
 * subject and doneAt) makes a new version; every version stays readable with its uploader and
 * hash; the verdict of the evidence clause cites the version it used.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../model/index.ts';
import { openStore, type Store } from '../../db/index.ts';
import { checkLoadedSite, loadStandards, type Standard } from '../../standards/index.ts';
import type { InspectionView } from './api-types.ts';
import { siteWithEvidence } from './evidence-site.ts';
import { loadDemoSite } from './testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from './testing/secured-app.ts';

let site: Site;
let standards: Standard[];
let store: Store;
let dataDir: string;
let server: SecuredServer;
beforeAll(async () => {
  site = await loadDemoSite();
  standards = await loadStandards(fileURLToPath(new URL('../../standards', import.meta.url)));
  dataDir = await mkdtemp(join(tmpdir(), 'ketwin-evidence-'));
  store = await openStore({ dataDir });
  server = await startSecuredServer([site], {
    inspections: {
      list: (s) => store.evidence(s),
      record: async (r) => (await store.writeEvidence([r]))[0],
      versions: (...a) => store.evidenceVersions(...a),
    },
  });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const drill = { kind: 'onsite-plan-drill', subject: 'zhoushan-demo', doneAt: '2026-09-20T02:00:00Z', by: '安全科 王工', reference: 'XC-2026-02', notes: '秋季演练' };
const post = async (as: string, body: unknown) =>
  (await server.as(as)).fetch('/api/sites/zhoushan-demo/evidence', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('evidence versions', () => {
  it('a second upload under the same record is version 2; both stay readable with uploader and hash', async () => {
    const first = await post('manager', drill);
    expect(first.status).toBe(201);
    const v1 = (await first.json()) as InspectionView;
    expect(v1).toMatchObject({ version: 1, recordedBy: 'manager', hash: expect.stringMatching(/^[0-9a-f]{64}$/), notes: '秋季演练' });

    const second = await post('admin', { ...drill, notes: '秋季演练（更正：参演 42 人）' });
    const v2 = (await second.json()) as InspectionView;
    expect(v2).toMatchObject({ version: 2, recordedBy: 'admin', notes: '秋季演练（更正：参演 42 人）' });
    expect(v2.hash).not.toBe(v1.hash);

    const versions = (await (
      await (await server.as('auditor')).fetch(`/api/sites/zhoushan-demo/evidence/versions?kind=onsite-plan-drill&subject=zhoushan-demo&doneAt=${Date.parse(drill.doneAt)}`)
    ).json()) as InspectionView[];
    expect(versions.map((v) => [v.version, v.recordedBy, v.notes, v.hash])).toEqual([
      [1, 'manager', '秋季演练', v1.hash],
      [2, 'admin', '秋季演练（更正：参演 42 人）', v2.hash],
    ]);
    const list = (await (await (await server.as('auditor')).fetch('/api/sites/zhoushan-demo/evidence')).json()) as InspectionView[];
    expect(list.filter((r) => r.kind === 'onsite-plan-drill' && r.source === 'recorded')).toEqual([expect.objectContaining({ version: 2 })]);
  });

  it('the verdict of the evidence clause cites the version it was reached on', async () => {
    const latest = await store.evidence('zhoushan-demo', { kind: 'onsite-plan-drill' });
    const judged = checkLoadedSite(siteWithEvidence(site, latest), 'zhoushan-demo.yaml', standards, { now: Date.parse('2026-10-01T00:00:00Z') });
    const verdict = judged.results.find((r) => r.clause === 'ORDER40-21-ONSITE-DRILL')!;
    expect(verdict.verdict).toBe('pass');
    expect(JSON.stringify(verdict.evidence)).toMatch(new RegExp(`XC-2026-02 \\(v2 sha256:${latest[0]!.hash!.slice(0, 12)}\\)`));
    // an older version in the site is replaced by the newer one, not judged beside it
    const v1 = (await store.evidenceVersions('zhoushan-demo', 'onsite-plan-drill', 'zhoushan-demo', Date.parse(drill.doneAt)))[0]!;
    const twice = siteWithEvidence(siteWithEvidence(site, [v1]), latest);
    expect(twice.evidence.filter((e) => e.kind === 'onsite-plan-drill' && e.ref?.includes('sha256:')).map((e) => e.ref)).toEqual([expect.stringContaining('(v2 ')]);
  });

  it('an unknown record has no versions (404), a malformed doneAt is a 400 naming it', async () => {
    const auditor = await server.as('auditor');
    expect((await auditor.fetch('/api/sites/zhoushan-demo/evidence/versions?kind=drill&subject=zhoushan-demo&doneAt=5')).status).toBe(404);
    const bad = await auditor.fetch('/api/sites/zhoushan-demo/evidence/versions?kind=drill&subject=zhoushan-demo&doneAt=yesterday');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^query\.doneAt/);
  });
});
