import { createRateMeter, type RateMeter } from './rate-meter.ts';
import type { SourceStats } from './source.ts';
import { systemClock } from '../model/index.ts';

/** What a source counts about itself while it runs; read out by stats(). */
export interface SourceFigures {
  meter: RateMeter;
  reconnects: number;
  lastLatencyMs: number | null;
  online: boolean;
}

export function createSourceFigures(now: () => number = systemClock.now): SourceFigures {
  return { meter: createRateMeter(now), reconnects: 0, lastLatencyMs: null, online: false };
}

export function sourceStats(source: string, protocol: SourceStats['protocol'], figures: SourceFigures): SourceStats {
  return {
    source,
    protocol,
    online: figures.online,
    samples: figures.meter.total,
    samplesPerSec: figures.meter.perSecond(),
    reconnects: figures.reconnects,
    lastLatencyMs: figures.lastLatencyMs,
  };
}
