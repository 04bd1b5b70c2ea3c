import { wordsOf, type Register } from './decode.ts';
import type { Point } from '../../model/index.ts';

export type Table = 'holding' | 'input' | 'coil' | 'discrete';
export type { Register };

/** Most registers (words) one read may ask for, and most bits (coils, discrete inputs). */
export const MAX_WORDS = 125;
export const MAX_BITS = 2000;

/** One Modbus read and the points decoded from its answer. */
export interface ReadRequest {
  table: Table;
  address: number;
  length: number;
  points: { point: Point; offset: number }[];
}

export const isBitTable = (table: Table) => table === 'coil' || table === 'discrete';

/** Words (or bits) a point's register takes. */
export function registerWidth(register: Register): number {
  if (isBitTable(register.table)) return 1;
  return wordsOf(register.type);
}

/**
 * Coalesces the points into as few reads as possible: points of the same table whose registers
 * touch or overlap share one read, up to MAX_WORDS registers or MAX_BITS bits. Gaps are never
 * read, since a device may answer an unmapped address with an exception.
 */
export function planRequests(points: Point[]): ReadRequest[] {
  const byTable = new Map<Table, Point[]>();
  for (const point of points) {
    const table = point.register!.table;
    byTable.set(table, [...(byTable.get(table) ?? []), point]);
  }
  const requests: ReadRequest[] = [];
  for (const [table, tablePoints] of byTable) {
    const limit = isBitTable(table) ? MAX_BITS : MAX_WORDS;
    const sorted = [...tablePoints].sort((a, b) => a.register!.address - b.register!.address);
    let current: ReadRequest | undefined;
    for (const point of sorted) {
      const { address } = point.register!;
      const end = address + registerWidth(point.register!);
      const fits = current && address <= current.address + current.length && end - current.address <= limit;
      if (!current || !fits) {
        current = { table, address, length: end - address, points: [] };
        requests.push(current);
      }
      current.length = Math.max(current.length, end - current.address);
      current.points.push({ point, offset: address - current.address });
    }
  }
  return requests;
}

/**
 * A coalesced read cut into one read per register span (points on the same registers share one),
 * for when a device refuses the whole: then each point stands or falls by its own address.
 */
export function splitRequest(request: ReadRequest): ReadRequest[] {
  const parts = new Map<string, ReadRequest>();
  for (const { point } of request.points) {
    const { address } = point.register!;
    const length = registerWidth(point.register!);
    const key = `${address}+${length}`;
    let part = parts.get(key);
    if (!part) parts.set(key, (part = { table: request.table, address, length, points: [] }));
    part.points.push({ point, offset: 0 });
  }
  return [...parts.values()];
}
