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
