import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../model/index.ts';
import { startDepotSim, type DepotSim } from './index.ts';

const run = promisify(execFile);
const siteFile = fileURLToPath(new URL('../sites/zhoushan-demo.yaml', import.meta.url));

/** polls once with Debian's mbpoll (a Modbus master nobody here wrote) and returns reference → value */
async function mbpoll(port: string, args: string[]): Promise<Map<number, number>> {
  const { stdout } = await run('mbpoll', ['-m', 'tcp', '-a', '1', '-p', port, '-0', '-1', '-t', ...args, '127.0.0.1']);
  return new Map([...stdout.matchAll(/^\[(\d+)\]:\s+(-?[\d.]+)/gm)].map((m) => [Number(m[1]), Number(m[2])]));
}

describe('the simulated RTU speaks standard Modbus TCP (checked with mbpoll)', () => {
  let site: Site;
  let sim: DepotSim;
  let port: string;
  beforeAll(async () => {
    site = await loadSite(siteFile);
    sim = await startDepotSim(site, { tickMs: 3_600_000, seed: 9 });
    port = new URL(sim.endpoints.modbus).port;
    sim.set('FP1.running', true);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('serves the documented register map: holding float32 big-endian, coils, discrete inputs', async () => {
    const floats = await mbpoll(port, ['4:float', '-B', '-r', '0', '-c', '5']);
    const holding = site.points.filter((p) => p.register?.table === 'holding');
    expect(holding).toHaveLength(5);
    for (const point of holding) {
      expect(floats.get(point.register!.address), point.id).toBeCloseTo(sim.value(point.id) as number, 3);
    }
    const coils = await mbpoll(port, ['0', '-r', '0', '-c', '2']);
    expect([coils.get(0), coils.get(1)]).toEqual([1, sim.value('FP2.running') ? 1 : 0]);
    const discrete = await mbpoll(port, ['1', '-r', '0', '-c', '2']);
    expect([discrete.get(0), discrete.get(1)]).toEqual([1, 1]);
  });

  it('answers an unmapped register with exception 2, as mbpoll reports it', async () => {
    await expect(mbpoll(port, ['4', '-r', '100', '-c', '2'])).rejects.toMatchObject({ stderr: expect.stringMatching(/Illegal data address/) });
  });
});
