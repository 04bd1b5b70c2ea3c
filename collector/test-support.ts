import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadSite, type Sample, type Site } from '../model/index.ts';

/** Shared by the collector's tests: the demo site, a sample recorder and a polling wait. */
export const demoSiteFile = fileURLToPath(new URL('../sites/zhoushan-demo.yaml', import.meta.url));

export function loadDemoSite(): Promise<Site> {
  return loadSite(demoSiteFile);
}

export interface Recorder {
  readonly samples: Sample[];
  sink(sample: Sample): void;
  of(point: string): Sample[];
  latest(point: string): Sample | undefined;
  clear(): void;
}

export function createRecorder(): Recorder {
  const samples: Sample[] = [];
  return {
    samples,
    sink: (sample) => void samples.push(sample),
    of: (point) => samples.filter((s) => s.point === point),
    latest: (point) => {
      for (let i = samples.length - 1; i >= 0; i--) if (samples[i]!.point === point) return samples[i];
      return undefined;
    },
    clear: () => void samples.splice(0),
  };
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A pino logger whose lines the test can read. */
export function createLogCapture(): { logger: import('pino').Logger; lines: { level: number; msg: string; [key: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/**
 * When the engine's communications-loss alarm would rise for a source, read from the
 * `<source>.online` samples a test recorded: the alarm rises once the source has reported itself
 * offline for `delayMs` without a report of being back (engine/comms-loss.ts). Undefined if never.
 */
export function commsLossRaisedAt(samples: readonly Sample[], sourceId: string, delayMs: number, until = Date.now()): number | undefined {
  let offlineSince: number | undefined;
  for (const sample of samples) {
    if (sample.point !== `${sourceId}.online` || sample.quality !== 'good') continue;
    if (sample.value === true) {
      if (offlineSince !== undefined && sample.ts - offlineSince >= delayMs) return offlineSince + delayMs;
      offlineSince = undefined;
    } else offlineSince ??= sample.ts;
  }
  return offlineSince !== undefined && until - offlineSince >= delayMs ? offlineSince + delayMs : undefined;
}
