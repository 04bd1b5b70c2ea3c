import type { Point } from '../model/index.ts';
import { SimError } from './sim-error.ts';

export type Table = 'holding' | 'input' | 'coil' | 'discrete';
type Register = NonNullable<Point['register']>;

/** Number of 16-bit words (or bits, for coils and discrete inputs) a register type takes. */
export function registerWidth(register: Register): number {
  if (register.table === 'coil' || register.table === 'discrete') return 1;
  return register.type === 'float64' ? 4 : register.type === 'int32' || register.type === 'uint32' || register.type === 'float32' ? 2 : 1;
}

/**
 * Encodes an engineering value into the raw words a device would hold, in the register's byte
 * order (ABCD big-endian, CDAB words reversed, BADC bytes swapped in each word, DCBA little-endian).
 */
export function encodeRegister(register: Register, value: number | boolean): number[] {
  const numeric = typeof value === 'boolean' ? Number(value) : value;
  const raw = (numeric - register.offset) / register.scale;
  if (register.type === 'bool') return [raw ? 1 : 0];
  const buffer = Buffer.alloc(registerWidth(register) * 2);
  switch (register.type) {
    case 'int16':
      buffer.writeInt16BE(Math.round(raw));
      break;
    case 'uint16':
      buffer.writeUInt16BE(Math.round(raw));
      break;
    case 'int32':
      buffer.writeInt32BE(Math.round(raw));
      break;
    case 'uint32':
      buffer.writeUInt32BE(Math.round(raw));
      break;
    case 'float32':
      buffer.writeFloatBE(raw);
      break;
    case 'float64':
      buffer.writeDoubleBE(raw);
      break;
  }
  const order = register.order ?? 'ABCD';
  if (order === 'BADC' || order === 'DCBA') buffer.swap16();
  const words = Array.from({ length: buffer.length / 2 }, (_, i) => buffer.readUInt16BE(i * 2));
  return order === 'CDAB' || order === 'DCBA' ? words.reverse() : words;
}

/** The memory of the simulated RTU: one map of address → word (or bit) per table. */
export interface RegisterImage {
  write(point: Point, value: number | boolean): void;
  read(table: Table, address: number): number | undefined;
  /** the points whose registers overlap [address, address + length) */
  pointsCovering(table: Table, address: number, length: number): string[];
}

export function createRegisterImage(points: Point[]): RegisterImage {
  const tables: Record<Table, Map<number, number>> = {
    holding: new Map(),
    input: new Map(),
    coil: new Map(),
    discrete: new Map(),
  };
  const owners: Record<Table, Map<number, string>> = {
    holding: new Map(),
    input: new Map(),
    coil: new Map(),
    discrete: new Map(),
  };
  for (const point of points) {
    if (!point.register) throw new SimError('SIM_POINT', `point ${point.id} has no register`);
    const { table, address } = point.register;
    for (let i = 0; i < registerWidth(point.register); i++) {
      const clash = owners[table].get(address + i);
      if (clash) throw new SimError('SIM_POINT', `points ${clash} and ${point.id} overlap at ${table} ${address + i}`);
      owners[table].set(address + i, point.id);
    }
  }
  return {
    write(point, value) {
      const register = point.register!;
      encodeRegister(register, value).forEach((word, i) => tables[register.table].set(register.address + i, word));
    },
    read(table, address) {
      return tables[table].get(address);
    },
    pointsCovering(table, address, length) {
      const hit = new Set<string>();
      for (let a = address; a < address + length; a++) {
        const owner = owners[table].get(a);
        if (owner) hit.add(owner);
      }
      return [...hit];
    },
  };
}
