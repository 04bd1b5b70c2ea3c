import type { Asset, Point, Site } from '../model/index.ts';
import type { Random } from './prng.ts';
import { createSignal, type Signal } from './signals.ts';

/**
 * The physics of a simulated depot, stepped a fixed amount of simulated time per scan:
 * tank levels from in/outflow over the tank's cross-section (area = πD²/4), product temperature,
 * combustible gas per detector from leaks carried by the wind, the fire-water pool drawn down by
 * the fire pumps, mains power and the emergency generator, the siren, tank fires, weather.
 * Points the model does not know move like plain signals.
 */
export interface DepotModel {
  /** advances the model by `seconds` of simulated time */
  step(seconds: number): void;
  /** current value of a point (site point or one of the model's own) */
  value(pointId: string): number | boolean | undefined;
  /** takes a forced value as the new state (a released tank level carries on from where it was forced) */
  adopt(pointId: string, value: number | boolean): void;
  /** injected events */
  leak(at: { x: number; y: number }, rateKgPerS: number): void;
  fire(tank: string, stage: FireStage): void;
  explosion(at: { x: number; y: number }): void;
  mains(available: boolean): void;
  flow(tank: string, m3PerHour: number): void;
  /** the model's points beyond the site's (flame detectors, shell temperatures, generator running…) */
  readonly extraPoints: Point[];
}

export type FireStage = 'none' | 'rim-seal' | 'full-surface';

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;
/** a floating roof (external or internal) has a rim seal, watched by a linear heat detector */
const floatingRoof = (asset: Asset): boolean => String((asset.attributes as Record<string, unknown>)['roof'] ?? '').endsWith('-floating');
/** ray casting: is p inside the polygon? */
const inside = (ring: { x: number; y: number }[], p: { x: number; y: number }): boolean => {
  let result = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [a, b] = [ring[i]!, ring[j]!];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) result = !result;
  }
  return result;
};
const num = (asset: Asset | undefined, name: string, fallback: number): number => {
  const v = (asset?.attributes as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'number' ? v : fallback;
};

interface TankState {
  asset: Asset;
  area: number;
  level: number;
  temperature: number;
  baseTemperature: number;
  flow: number; // m³/h, + in, − out
  cruise: number; // the magnitude of normal transfers
  low: number;
  high: number;
  fire: FireStage;
  fireSeconds: number;
  shell: number;
  forcedFlow: boolean;
  overflow: { x: number; y: number; rate: number };
}

export interface DepotModelOptions {
  /**
   * Factor on the routine transfers' rates (default 1). A simulator that runs faster than real time
   * passes real seconds per simulated second, so that the twin sees ordinary transfers at ordinary
   * rates (an overfill forecast would rightly take a 60×-fast fill for a runaway); scenario flows,
   * fires, gas and weather keep the simulated pace.
   */
  routineRate?: number;
}

export function createDepotModel(site: Site, random: Random, options: DepotModelOptions = {}): DepotModel {
  const assets = new Map(site.assets.map((a) => [a.id, a]));
  const opcuaSource = site.sources.find((s) => s.protocol === 'opcua')?.id;
  const tanks = new Map<string, TankState>();
  for (const asset of site.assets) {
    if (asset.kind !== 'tank') continue;
    const diameter = num(asset, 'diameter', 30);
    const area = (Math.PI * diameter * diameter) / 4;
    const high = num(asset, 'levelHigh', 10) - 0.2;
    const low = 2;
    const cruise = Math.min(num(asset, 'maxFillRate', area) * 0.9, area * 1.2) * (0.6 + random() * 0.4) * (options.routineRate ?? 1);
    const baseTemperature = 25 + random() * 10;
    tanks.set(asset.id, {
      asset,
      area,
      low,
      high,
      cruise,
      baseTemperature,
      level: low + random() * (high - low),
      temperature: baseTemperature,
      flow: (random() < 0.5 ? -1 : 1) * cruise,
      fire: 'none',
      fireSeconds: 0,
      shell: baseTemperature,
      forcedFlow: false,
      overflow: { x: asset.position.x, y: asset.position.y, rate: 0 },
    });
  }
  const weather = { speed: 3 + random() * 4, direction: random() * 360, air: 20 + random() * 5 };
  const leaks: { x: number; y: number; rate: number }[] = [];
  const explosions: { x: number; y: number; age: number }[] = [];
  const power = { mains: true, sinceLoss: 0, generatorRunning: false };
  const pool = (() => {
    const asset = site.assets.find((a) => a.kind === 'fire-water-pool');
    const depth = num(asset, 'depth', 5);
    return { asset, depth, area: num(asset, 'capacity', 6000) / depth, level: depth - 0.1 };
  })();
  const pumps = site.assets.filter((a) => a.kind === 'fire-pump');
  const pumpRunning = new Map(pumps.map((p) => [p.id, false]));
  let foam = 90;
  let fuel = 90;
  let siren = false;
  const signals = new Map<string, Signal>();
  const values = new Map<string, number | boolean>();

  // the model's own points, served over OPC-UA beside the site's (issue 4 may add them to the site)
  const extraPoints: Point[] = [];
  const extra = (asset: string, name: string, unit: Point['unit']) => {
    const id = `${asset}.${name}`;
    if (site.points.some((p) => p.id === id) || !opcuaSource) return;
    extraPoints.push({ asset, name, id, unit, source: opcuaSource, node: `ns=1;s=${id}`, staleAfterMs: 10_000 });
  };
  for (const tank of tanks.values()) {
    extra(tank.asset.id, 'flame', 'bool');
    if (floatingRoof(tank.asset)) extra(tank.asset.id, 'rim_seal_fire', 'bool');
    extra(tank.asset.id, 'shell_temperature', 'degC');
  }
  for (const gen of site.assets.filter((a) => a.kind === 'generator')) {
    extra(gen.id, 'running', 'bool');
    extra(gen.id, 'mains_available', 'bool');
  }
  for (const sr of site.assets.filter((a) => a.kind === 'siren')) extra(sr.id, 'sounding', 'bool');

  for (const point of site.points) {
    const asset = assets.get(point.asset);
    if (asset) signals.set(point.id, createSignal(point, asset, random));
  }

  /** combustible gas (%LEL) at a position from every leak, carried downwind */
  function gasAt(x: number, y: number): number {
    let total = 0;
    const to = ((weather.direction + 180) % 360) * (Math.PI / 180); // wind blows FROM direction: the cloud goes the other way
    const ux = Math.sin(to);
    const uy = Math.cos(to);
    for (const leak of leaks) {
      const dx = x - leak.x;
      const dy = y - leak.y;
      const along = dx * ux + dy * uy;
      const cross = Math.abs(dx * uy - dy * ux);
      const distance = Math.hypot(dx, dy);
      const sigma = 8 + 0.25 * Math.max(0, along);
      const plume = along > 0 ? Math.exp(-(cross * cross) / (2 * sigma * sigma)) / (1 + along / 40) : Math.exp(-distance / 8);
      total += (leak.rate * 60 * plume) / Math.max(0.5, weather.speed);
    }
    for (const blast of explosions) total += 100 * Math.exp(-Math.hypot(x - blast.x, y - blast.y) / 60) * Math.exp(-blast.age / 300);
    return total;
  }

  function step(seconds: number) {
    for (const signal of signals.values()) signal.step();
    // weather drifts slowly
    weather.speed = clamp(weather.speed + (random() * 2 - 1) * 0.3, 0.5, 12);
    weather.direction = (weather.direction + (random() * 2 - 1) * 5 + 360) % 360;
    weather.air = clamp(weather.air + (random() * 2 - 1) * 0.05, 15, 30);
    // power: the generator starts 10 s after mains is lost
    if (!power.mains) {
      power.sinceLoss += seconds;
      if (power.sinceLoss >= 10 && fuel > 0) power.generatorRunning = true;
    } else {
      power.sinceLoss = 0;
      power.generatorRunning = false;
    }
    if (power.generatorRunning) fuel = Math.max(0, fuel - (seconds / 3600) * 5); // ~5 %/h at load
    const powered = power.mains || power.generatorRunning;
    // fires
    let anyFire = false;
    for (const tank of tanks.values()) {
      if (tank.fire !== 'none') {
        anyFire = true;
        tank.fireSeconds += seconds;
      }
      const shellTarget = tank.fire === 'full-surface' ? 350 : tank.fire === 'rim-seal' ? 90 : tank.temperature;
      tank.shell += (shellTarget - tank.shell) * Math.min(1, seconds / 300);
      // radiant heat from burning neighbours warms the product
      let heat = 0;
      for (const other of tanks.values()) {
        if (other === tank || other.fire !== 'full-surface') continue;
        const d = Math.hypot(other.asset.position.x - tank.asset.position.x, other.asset.position.y - tank.asset.position.y);
        heat += 40 / (1 + d / 50);
      }
      const own = tank.fire === 'full-surface' ? 40 : tank.fire === 'rim-seal' ? 5 : 0;
      const target = tank.baseTemperature + own + heat;
      tank.temperature += (target - tank.temperature) * Math.min(1, seconds / 1800);
      // level: transfers reverse at the operating limits unless a scenario drives the flow
      tank.level += (tank.flow * seconds) / 3600 / tank.area;
      if (!tank.forcedFlow) {
        if (tank.level >= tank.high) [tank.level, tank.flow] = [tank.high, -tank.cruise];
        if (tank.level <= tank.low) [tank.level, tank.flow] = [tank.low, tank.cruise];
      }
      const shellHeight = num(tank.asset, 'height', 20);
      // overflow: product over the top runs into the dike; ~1 % of it evaporates (m³/h × 0.8 t/m³ → kg/s)
      const overflowing = tank.level > shellHeight && tank.flow > 0;
      tank.overflow.rate = overflowing ? ((tank.flow * 800) / 3600) * 0.01 : 0;
      if (overflowing && !leaks.includes(tank.overflow)) leaks.push(tank.overflow);
      if (!overflowing && leaks.includes(tank.overflow)) leaks.splice(leaks.indexOf(tank.overflow), 1);
      tank.level = Math.min(tank.level, shellHeight + 0.001);
    }
    // fire pumps start on fire when there is power; the pool and the foam drain while they run
    for (const pump of pumps) pumpRunning.set(pump.id, anyFire && powered);
    const running = [...pumpRunning.entries()].filter(([, on]) => on);
    for (const [id] of running) pool.level -= (num(assets.get(id), 'flow', 450) * seconds) / 3600 / pool.area;
    pool.level = Math.max(0, pool.level);
    if (running.length > 0) foam = Math.max(0, foam - (seconds / 3600) * 30);
    for (const blast of explosions) blast.age += seconds;
    if (anyFire || explosions.length > 0) siren = true;
    compute(powered);
  }

  function compute(powered: boolean) {
    for (const [id, signal] of signals) values.set(id, signal.value);
    for (const tank of tanks.values()) {
      values.set(`${tank.asset.id}.level`, round(tank.level));
      values.set(`${tank.asset.id}.temperature`, round(tank.temperature, 2));
      // flame detectors over the tank see a full-surface fire; on a fixed roof every fire is one.
      // The linear heat detector along a floating roof's seal is hot in either stage.
      const floating = floatingRoof(tank.asset);
      values.set(`${tank.asset.id}.flame`, tank.fire === 'full-surface' || (!floating && tank.fire !== 'none'));
      if (floating) values.set(`${tank.asset.id}.rim_seal_fire`, tank.fire !== 'none');
      values.set(`${tank.asset.id}.shell_temperature`, round(tank.shell, 1));
    }
    for (const tank of tanks.values()) values.set(`${tank.asset.id}.outlet_valve_open`, tank.flow < 0); // transferring out
    for (const tank of tanks.values()) {
      values.set(`${tank.asset.id}.inlet_valve_open`, tank.flow > 0); // receiving
      values.set(`${tank.asset.id}.flow`, round(tank.flow, 1));
      // the independent switch reads the product, not the gauge: a frozen gauge does not hold it back
      const hh = num(tank.asset, 'levelHighHigh', Infinity);
      values.set(`${tank.asset.id}.level_switch_hh`, tank.level >= hh);
    }
    for (const asset of site.assets) {
      // product in the dike's sump: a tank of the dike overflowing, or a leak inside its outline
      if (asset.kind === 'dike') {
        const overflowing = [...tanks.values()].some((t) => t.asset.kind === 'tank' && t.asset.attributes.dike === asset.id && t.overflow.rate > 0);
        values.set(`${asset.id}.hydrocarbon_detected`, overflowing || leaks.some((l) => l.rate > 0 && inside(asset.attributes.outline, l)));
      }
      if (asset.kind === 'gas-detector' && (leaks.length > 0 || explosions.length > 0)) {
        const base = values.get(`${asset.id}.gas`);
        values.set(`${asset.id}.gas`, round(clamp((typeof base === 'number' ? base : 0) + gasAt(asset.position.x, asset.position.y), 0, 100), 2));
      }
      if (asset.kind === 'fire-water-pool' && asset === pool.asset) values.set(`${asset.id}.level`, round(pool.level));
      if (asset.kind === 'fire-pump') {
        const on = pumpRunning.get(asset.id) ?? false;
        values.set(`${asset.id}.running`, on);
        values.set(`${asset.id}.pressure`, on ? 0.8 : powered ? ((values.get(`${asset.id}.pressure`) as number) ?? 0.25) : 0);
      }
      if (asset.kind === 'generator') {
        values.set(`${asset.id}.running`, power.generatorRunning);
        values.set(`${asset.id}.mains_available`, power.mains);
        values.set(`${asset.id}.ready`, fuel > 0);
        if (power.generatorRunning || fuel < 89) values.set(`${asset.id}.fuel_level`, round(fuel, 2));
      }
      if (asset.kind === 'foam-station' && foam < 89) values.set(`${asset.id}.concentrate_level`, round(foam, 2));
      if (asset.kind === 'siren') values.set(`${asset.id}.sounding`, siren);
      if (asset.kind === 'weather-station') {
        values.set(`${asset.id}.wind_speed`, round(weather.speed));
        values.set(`${asset.id}.wind_direction`, round(weather.direction, 1));
        values.set(`${asset.id}.air_temperature`, round(weather.air));
      }
    }
  }
  compute(true);

  const tankOf = (id: string) => {
    const tank = tanks.get(id);
    if (!tank) throw new Error(`no tank ${id}`);
    return tank;
  };

  return {
    step,
    value: (id) => values.get(id),
    adopt(id, value) {
      const [asset, name] = [id.slice(0, id.lastIndexOf('.')), id.slice(id.lastIndexOf('.') + 1)];
      const tank = tanks.get(asset);
      if (typeof value !== 'number') return;
      if (tank && name === 'level') tank.level = value;
      else if (tank && name === 'temperature') tank.temperature = value;
      else if (asset === pool.asset?.id && name === 'level') pool.level = value;
      else if (name === 'wind_direction') weather.direction = value;
      else if (name === 'wind_speed') weather.speed = value;
      else if (name === 'fuel_level' && assets.get(asset)?.kind === 'generator') fuel = clamp(value, 0, 100); // an empty tank: the generator cannot start
    },
    leak(at, rate) {
      const existing = leaks.find((l) => l.x === at.x && l.y === at.y);
      if (existing) existing.rate = rate;
      else if (rate > 0) leaks.push({ ...at, rate });
      for (let i = leaks.length - 1; i >= 0; i--) if (leaks[i]!.rate <= 0) leaks.splice(i, 1);
    },
    fire(tank, stage) {
      const state = tankOf(tank);
      state.fire = stage === 'rim-seal' && !floatingRoof(state.asset) ? 'full-surface' : stage; // a fixed roof has no rim seal
      if (stage === 'none') state.fireSeconds = 0;
    },
    explosion(at) {
      explosions.push({ ...at, age: 0 });
    },
    mains(available) {
      power.mains = available;
    },
    flow(tank, m3PerHour) {
      const state = tankOf(tank);
      state.flow = m3PerHour;
      state.forcedFlow = true;
    },
    extraPoints,
  };
}
