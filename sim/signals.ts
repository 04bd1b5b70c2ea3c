import type { Asset, Point, Site } from '../model/index.ts';
import type { Random } from './prng.ts';

/** One simulated field signal: its current value and how it moves on each scan. */
export interface Signal {
  readonly value: number | boolean;
  step(): void;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** A value that wanders between `low` and `high` by at most `stepSize` per scan. */
function drift(random: Random, low: number, high: number, stepSize: number, start?: number): Signal {
  let value = start ?? low + random() * (high - low);
  return {
    get value() {
      return round(value);
    },
    step() {
      value = clamp(value + (random() * 2 - 1) * stepSize, low, high);
    },
  };
}

/** Noise near zero: a smoothed random signal between 0 and `high`. */
function noise(random: Random, high: number): Signal {
  let value = random() * high * 0.5;
  return {
    get value() {
      return round(value, 2);
    },
    step() {
      value = clamp(value * 0.6 + random() * high * 0.4, 0, high);
    },
  };
}

/** A tank level that fills or empties a few cm per scan and reverses at its limits. */
function tankLevel(random: Random, low: number, high: number): Signal {
  let value = low + random() * (high - low);
  let direction = random() < 0.5 ? -1 : 1;
  const rate = 0.02 + random() * 0.04;
  return {
    get value() {
      return round(value);
    },
    step() {
      value += direction * rate * (0.8 + random() * 0.4);
      if (value >= high) [value, direction] = [high, -1];
      if (value <= low) [value, direction] = [low, 1];
    },
  };
}

function constant(value: number | boolean): Signal {
  return { value, step() {} };
}

function windDirection(random: Random): Signal {
  let value = random() * 360;
  return {
    get value() {
      return round(value, 1);
    },
    step() {
      value = (value + (random() * 2 - 1) * 5 + 360) % 360;
    },
  };
}

function numberAttribute(asset: Asset, name: string): number | undefined {
  const value = (asset.attributes as Record<string, unknown>)[name];
  return typeof value === 'number' ? value : undefined;
}

/** The plausible behaviour of one point of the demo depot, by asset kind and point name. */
export function createSignal(point: Point, asset: Asset, random: Random): Signal {
  if (point.unit === 'bool') {
    if (point.name === 'ready') return constant(true);
    return constant(false);
  }
  switch (`${asset.kind}/${point.name}`) {
    case 'tank/level': {
      const levelHigh = numberAttribute(asset, 'levelHigh') ?? 10;
      return tankLevel(random, 2, levelHigh - 0.2);
    }
    case 'tank/temperature':
      return drift(random, 20, 40, 0.05, 25 + random() * 10);
    case 'dike/water_level':
      return drift(random, 0.02, 0.08, 0.002);
    case 'gas-detector/gas':
      return noise(random, 3);
    case 'weather-station/wind_speed':
      return drift(random, 0.5, 12, 0.3, 3 + random() * 4);
    case 'weather-station/wind_direction':
      return windDirection(random);
    case 'weather-station/air_temperature':
      return drift(random, 15, 30, 0.05, 20 + random() * 5);
    case 'fire-water-pool/level': {
      const depth = numberAttribute(asset, 'depth') ?? 5;
      return drift(random, depth - 0.3, depth - 0.05, 0.005, depth - 0.1);
    }
    case 'fire-pump/pressure':
      return drift(random, 0.24, 0.26, 0.002, 0.25);
    // fair weather, and no random draw: the other points' sequences stay as they were before these points existed
    case 'tank/flow': // the depot model's transfers set it
      return constant(0);
    case 'lightning-detector/electric_field':
      return constant(0.1);
    case 'lightning-detector/strike_distance':
      return constant(999);
    case 'foam-station/concentrate_level':
    case 'generator/fuel_level':
      return drift(random, 89, 91, 0.02, 90);
    default:
      return drift(random, 0, 100, 0.5, 50);
  }
}

/** One signal per point of the site, in the site's point order. */
export function createSignals(site: Site, points: Point[], random: Random): Map<string, Signal> {
  const assets = new Map(site.assets.map((a) => [a.id, a]));
  return new Map(
    points.map((point) => {
      const asset = assets.get(point.asset);
      if (!asset) throw new Error(`point ${point.id} names missing asset ${point.asset}`);
      return [point.id, createSignal(point, asset, random)];
    }),
  );
}
