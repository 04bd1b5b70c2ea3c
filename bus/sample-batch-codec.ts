/**
 * One site's batch of samples as one compact message (JSON, UTF-8): the site is the subject's, each point
 * name is written once, times are offsets from the first, qualities a digit, and the rows' queue positions
 * are kept for de-duplication (written only where they are not consecutive):
 *
 *   {"v":1,"o":"<origin>","s":<first position>,"p":["T101.level",…],"t":<first ts>,"r":[[point,value,quality,dt,reason?],…],"d":[…]}
 *
 * JSON has no NaN or Infinity: such values travel as {"$n":"NaN"} (as in the queue's sample codec).
 */
import type { Quality, Sample } from '../model/index.ts';
import { BusError } from './bus-errors.ts';
import type { BatchOrigin } from './bus.ts';

const QUALITIES: readonly Quality[] = ['good', 'uncertain', 'bad'];
const QUALITY_CODE: Record<Quality, number> = { good: 0, uncertain: 1, bad: 2 };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Wire {
  v: 1;
  o: string;
  s: number;
  p: string[];
  t: number;
  r: unknown[][];
  /** position steps from the row before (the first row's is 0), when any is not 1 */
  d?: number[];
}

export interface SiteBatch {
  site: string;
  samples: Sample[];
  /** the rows' queue positions, oldest first, as many as samples */
  positions: number[];
  origin: string;
}

export function encodeSiteBatch(batch: SiteBatch): Uint8Array {
  const { samples, positions } = batch;
  const index = new Map<string, number>();
  const points: string[] = [];
  const t = samples[0]?.ts ?? 0;
  // written as text directly: one string, no array per row (String(n) is JSON's form of a finite number)
  let rows = '';
  let consecutive = true;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    let pi = index.get(s.point);
    if (pi === undefined) {
      pi = points.push(s.point) - 1;
      index.set(s.point, pi);
    }
    const v = s.value;
    const value = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : `{"$n":"${v}"}`) : typeof v === 'boolean' ? (v ? 'true' : 'false') : JSON.stringify(v);
    rows += `${i === 0 ? '[' : ',['}${pi},${value},${QUALITY_CODE[s.quality]},${s.ts - t}${s.reason === undefined ? ']' : `,${JSON.stringify(s.reason)}]`}`;
    if (i > 0 && positions[i]! !== positions[i - 1]! + 1) consecutive = false;
  }
  const steps = consecutive ? '' : `,"d":[${positions.map((p, i) => (i === 0 ? 0 : p - positions[i - 1]!)).join(',')}]`;
  return encoder.encode(`{"v":1,"o":${JSON.stringify(batch.origin)},"s":${positions[0] ?? 0},"p":${JSON.stringify(points)},"t":${t},"r":[${rows}]${steps}}`);
}

/** The samples of a message on `<prefix>.<site>.samples`, and where they came from; a `BUS_DECODE` error when it is not one. */
export function decodeSiteBatch(site: string, data: Uint8Array): { samples: Sample[]; origin: BatchOrigin } {
  let wire: Wire;
  try {
    wire = JSON.parse(decoder.decode(data)) as Wire;
  } catch (error) {
    throw new BusError('BUS_DECODE', `samples of site ${site}: not JSON (${(error as Error).message})`);
  }
  if (wire?.v !== 1 || typeof wire.o !== 'string' || typeof wire.s !== 'number' || !Array.isArray(wire.p) || typeof wire.t !== 'number' || !Array.isArray(wire.r)) {
    throw new BusError('BUS_DECODE', `samples of site ${site}: not a sample batch of version 1`);
  }
  const samples: Sample[] = new Array(wire.r.length);
  for (let i = 0; i < wire.r.length; i++) {
    const row = wire.r[i]!;
    const point = wire.p[row[0] as number];
    const quality = QUALITIES[row[2] as number];
    if (!Array.isArray(row) || typeof point !== 'string' || quality === undefined || typeof row[3] !== 'number') {
      throw new BusError('BUS_DECODE', `samples of site ${site}: row ${i} is not a sample`);
    }
    const raw = row[1];
    const value = typeof raw === 'object' && raw !== null ? Number((raw as { $n: string }).$n) : (raw as Sample['value']);
    const sample: Sample = { site, point, value, quality, ts: wire.t + row[3] };
    if (typeof row[4] === 'string') sample.reason = row[4];
    samples[i] = sample;
  }
  const origin: BatchOrigin = { origin: wire.o, start: wire.s, end: wire.s + samples.length };
  if (wire.d) {
    let p = wire.s;
    const holes: number[] = [];
    for (let i = 1; i < wire.d.length; i++) {
      for (let h = p + 1; h < p + wire.d[i]!; h++) holes.push(h);
      p += wire.d[i]!;
    }
    origin.end = p + 1;
    if (holes.length > 0) origin.holes = holes;
  }
  return { samples, origin };
}
