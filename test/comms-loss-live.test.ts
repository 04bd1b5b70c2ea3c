// Communications loss over real sockets: the simulated RTU drops off the network, the Modbus
// collector reports rtu-fire.online false, the engine holds a comms-loss alarm after the standard's
// 10 s delay and returns it when the RTU is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteDetail } from '../ui/server/index.ts';
import { eventually, startTestSystem, type TestSystem } from './system.ts';
import { apiAs } from './sign-in.ts';

let system: TestSystem;
let api: (path: string) => Promise<Response>;
beforeAll(async () => {
  system = await startTestSystem({ staleAfterMs: 3000 });
  const manager = await apiAs(system, 'manager');
  api = (path) => manager.fetch(path);
});
afterAll(async () => {
  await system?.stop();
});

const commsAlarm = async () => ((await (await api('/api/sites/zhoushan-demo')).json()) as SiteDetail).alerts.find((a) => a.kind === 'comms-loss' && a.subjects[0] === 'rtu-fire');

describe('communications loss, live', () => {
  it('alarms the RTU dropping off the network 10 s after, and returns the alarm when it is back', async () => {
    await eventually('a live reading from the RTU', async () => {
      const site = (await (await api('/api/sites/zhoushan-demo')).json()) as SiteDetail;
      return site.values['FWP1.level']?.quality === 'good' ? site : undefined;
    });
    expect(await commsAlarm()).toBeUndefined();
    const dropped = Date.now();
    await system.sims[0]!.dropSource('rtu-fire');
    const raised = await eventually('the comms-loss alarm', commsAlarm, 30_000);
    expect(Date.now() - dropped).toBeGreaterThanOrEqual(10_000);
    expect(raised).toMatchObject({ severity: 2, lifecycle: { condition: 'active' } });
    expect(raised.message.en).toContain('Source rtu-fire (modbus, tcp://127.0.0.1:');
    await system.sims[0]!.restoreSource('rtu-fire');
    const returned = await eventually(
      'the alarm returned',
      async () => {
        const alarm = await commsAlarm();
        return alarm?.lifecycle?.condition === 'returned' ? alarm : undefined;
      },
      30_000,
    );
    expect(returned.id).toBe(raised.id);
  }, 90_000);
});
