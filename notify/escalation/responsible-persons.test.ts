/**
 * Issue 26 item 5: the named responsible persons of a major hazard unit are told of its alerts — the
 * notifier records who was told (alert.notify) once per alert, for the unit its assets belong to.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/index.ts';
import { loadSite, type Site } from '../../model/index.ts';
import { createManualClock } from '../clock.ts';
import { createNotifier } from '../notifier.ts';
import { incidentAlert, plainAlarm, transitioned } from '../testing/fixtures.ts';

let dir: string;
let store: Store;
let site: Site;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-responsible-'));
  store = await openStore({ dataDir: dir });
  site = await loadSite(fileURLToPath(new URL('../../sites/zhoushan-demo.yaml', import.meta.url)));
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a unit's named responsible persons", () => {
  it("are told of each alert on the unit's assets once, and nobody is told of an alert outside every unit", async () => {
    const clock = createManualClock(Date.now());
    // the demo's escalation contacts are told by phone (no url): nothing is sent, only recorded
    const notifier = createNotifier({ store, clock, sender: 'ketwin@test', sites: [site] });
    try {
      const fire = incidentAlert({ id: 'zhoushan-demo/tank-fire/T201', subjects: ['T201'], raisedAt: clock.now(), changedAt: clock.now() });
      const outside = plainAlarm({ id: 'zhoushan-demo/pump/FP1', subjects: ['FP1'], severity: 1, raisedAt: clock.now(), changedAt: clock.now() });
      await store.writeAlerts([fire, outside]);
      await notifier.poll();
      await store.writeAlerts([transitioned(fire, clock.now() + 1000, { by: 'system:engine', action: 'update' })]);
      await notifier.poll();
      const told = (await store.auditRecords()).filter((r) => r.action === 'alert.notify');
      // T201 is a tank of D2: D2's principal, technical and operations persons, told once
      expect(told).toHaveLength(1);
      expect(told[0]).toMatchObject({ actor: 'system:notify', subject: fire.id, site: 'zhoushan-demo' });
      expect(told[0]!.details).toMatchObject({
        persons: ['manager', 'li.gong', 'qian.ban'],
        units: [{ unit: 'D2', principal: 'manager', technical: 'li.gong', operations: 'qian.ban' }],
        kind: 'tank-fire',
        severity: 1,
      });
    } finally {
      await notifier.stop();
    }
  });
});
