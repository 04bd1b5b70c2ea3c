import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site, type Tank } from '../model/index.ts';
import { loadScenario, parseScenario, SCENARIOS, startDepotSim, type DepotSim } from './index.ts';
import { checkScenario } from './play.ts';

const siteFile = fileURLToPath(new URL('../sites/zhoushan-demo.yaml', import.meta.url));
let site: Site;
const sims: DepotSim[] = [];
beforeAll(async () => {
  site = await loadSite(siteFile);
});
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function start(tickMs = 3_600_000) {
  const sim = await startDepotSim(site, { tickMs, seed: 11 });
  sims.push(sim);
  return sim;
}
async function until(condition: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const portOpen = (endpoint: string) =>
  new Promise<boolean>((resolve) => {
    const url = new URL(endpoint.replace(/^opc\.tcp/, 'tcp'));
    const socket = createConnection({ port: Number(url.port), host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('scenario files', () => {
  it('ships the six scenarios, each valid and naming only what the demo site (and the simulator) has', async () => {
    const sim = await start();
    for (const name of SCENARIOS) {
      const scenario = await loadScenario(name);
      expect(scenario.name).toBe(name);
      expect(
        () =>
          checkScenario(
            scenario,
            site,
            sim.extraPoints.map((p) => p.id),
          ),
        name,
      ).not.toThrow();
    }
  });

  it('rejects a broken scenario naming the file and the place', async () => {
    expect(() => parseScenario('name: x\ntitle: { zh: 甲, en: a }\nsteps:\n  - { at: 1, action: explode, point: T101.level }\n', 'x.yaml')).toThrow(/x\.yaml: steps\.0\.action/);
    expect(() => parseScenario('name: x\ntitle: { zh: 甲, en: a }\nsteps:\n  - { at: -1, action: set, point: T101.level, value: 1 }\n', 'x.yaml')).toThrow(/x\.yaml: steps\.0\.at/);
    const scenario = parseScenario('name: x\ntitle: { zh: 甲, en: a }\nsteps:\n  - { at: 1, action: set, point: T999.level, value: 1 }\n');
    expect(() => checkScenario(scenario, site)).toThrow(/steps\.0 \(set at 1 s\): site zhoushan-demo has no point T999\.level/);
    await expect(loadScenario('no-such-scenario')).rejects.toMatchObject({ code: 'SIM_SCENARIO' });
  });
});

describe('the depot without a scenario', () => {
  it('stays calm: levels inside their operating band, no gas, pumps idle, generator ready, for a simulated week', async () => {
    const sim = await start();
    const tanks = site.assets.filter((a): a is Tank => a.kind === 'tank');
    for (let i = 0; i < 7 * 24 * 60; i++) {
      sim.tick();
      if (i % 60 !== 0) continue;
      for (const tank of tanks) {
        const level = sim.value(`${tank.id}.level`) as number;
        expect(level).toBeGreaterThanOrEqual(2);
        expect(level).toBeLessThan(tank.attributes.levelHigh);
        expect(sim.value(`${tank.id}.temperature`) as number).toBeLessThan(40);
      }
      for (const gd of ['GD101', 'GD102', 'GD201', 'GD202', 'GD301', 'GDP1']) expect(sim.value(`${gd}.gas`) as number).toBeLessThanOrEqual(3);
      expect(sim.value('FP1.running')).toBe(false);
      expect(sim.value('GEN1.ready')).toBe(true);
      expect(sim.value('T101.flame')).toBe(false);
      expect(sim.value('FWP1.level') as number).toBeGreaterThan(4.5);
    }
  });

  it('fills a tank at the rate its cross-section gives: Δlevel = Q·t / (πD²/4)', async () => {
    const sim = await start();
    const t301 = site.assets.find((a): a is Tank => a.id === 'T301')!;
    sim.set('T301.level', 5);
    sim.release('T301.level');
    sim.model.flow('T301', 400);
    sim.tick(); // 60 s
    const area = (Math.PI * t301.attributes.diameter ** 2) / 4;
    expect(sim.value('T301.level') as number).toBeCloseTo(5 + 400 / 60 / area, 3);
  });
});

describe('playing the scenarios', () => {
  it('tank-overfill: T201 passes high-high and critical-high, spills, and its vapour reaches the gas detectors', async () => {
    const sim = await start(20);
    const playback = sim.play(await loadScenario('tank-overfill'), { speed: 20 });
    await until(() => (sim.value('T201.level') as number) > 16.9, 'T201 past critical-high');
    await until(() => Math.max(sim.value('GD201.gas') as number, sim.value('GD202.gas') as number) > 20, 'vapour at a detector');
    playback.stop();
    await playback.done;
  });

  it('gas-leak: the cloud drifts from GD101 to GD102 as the wind veers', async () => {
    const sim = await start(20);
    const playback = sim.play(await loadScenario('gas-leak'), { speed: 20 });
    await until(() => (sim.value('GD101.gas') as number) > 20, 'the cloud over GD101');
    expect(sim.value('GD102.gas') as number).toBeLessThan(10);
    await until(() => (sim.value('GD102.gas') as number) > 20, 'the cloud over GD102');
    expect(sim.value('GD101.gas') as number).toBeLessThan(10);
    await playback.done;
  });

  it('rim-seal-fire: seal detector, then flame, fire pumps running, pool and foam drawing down, siren, a hot shell; out at the end', async () => {
    const sim = await start(20);
    const pool = sim.value('FWP1.level') as number;
    const playback = sim.play(await loadScenario('rim-seal-fire'), { speed: 30 });
    // the rim-seal stage: the seal's heat detector alarms, the flame detectors over the tank do not
    await until(() => sim.value('T101.rim_seal_fire') === true && sim.value('FP1.running') === true, 'the rim-seal fire');
    expect(sim.value('T101.flame')).toBe(false);
    await until(() => sim.value('T101.flame') === true && sim.value('SR1.sounding') === true, 'the full-surface fire');
    expect(sim.value('T101.rim_seal_fire')).toBe(true);
    await until(() => (sim.value('T101.shell_temperature') as number) > 200, 'a hot shell');
    expect(sim.value('FWP1.level') as number).toBeLessThan(pool);
    expect(sim.value('FP1.pressure') as number).toBeGreaterThan(0.5);
    await playback.done;
    await until(() => sim.value('T101.flame') === false && sim.value('T101.rim_seal_fire') === false && sim.value('FP1.running') === false, 'the fire out');
  });

  it('mains-power-loss: the generator starts, burns fuel, and stops when mains returns', async () => {
    const sim = await start(20);
    const playback = sim.play(await loadScenario('mains-power-loss'), { speed: 40 });
    await until(() => sim.value('GEN1.running') === true && sim.value('GEN1.mains_available') === false, 'the generator running');
    await until(() => (sim.value('GEN1.fuel_level') as number) < 89, 'fuel being burnt');
    await playback.done;
    await until(() => sim.value('GEN1.running') === false, 'the generator stopping');
  });

  it('plc-dropout and attack: sources drop off the network and come back', async () => {
    const sim = await start(20);
    const playback = sim.play(await loadScenario('plc-dropout'), { speed: 20 });
    await until(() => sim.value('T101.level') !== undefined, 'a value');
    await new Promise((r) => setTimeout(r, 400)); // 8 s of timeline: dropped at 5 s
    expect(await portOpen(sim.endpoints.opcua)).toBe(false);
    expect(await portOpen(sim.endpoints.modbus)).toBe(true);
    await playback.done;
    expect(await portOpen(sim.endpoints.opcua)).toBe(true);

    const attack = sim.play(await loadScenario('attack'), { speed: 20 });
    await new Promise((r) => setTimeout(r, 300)); // 6 s: both sources lost
    expect(await portOpen(sim.endpoints.opcua)).toBe(false);
    expect(await portOpen(sim.endpoints.modbus)).toBe(false);
    expect(sim.value('T201.flame')).toBe(true);
    await attack.done;
    expect(await portOpen(sim.endpoints.modbus)).toBe(true);
    expect(await portOpen(sim.endpoints.opcua)).toBe(false);
  });
});
