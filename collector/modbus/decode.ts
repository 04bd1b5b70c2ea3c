import type { Point } from '../../model/index.ts';

/** How a point sits in a device's register table (the site file's `register`). */
export type Register = NonNullable<Point['register']>;

/** Words a register type takes in a holding or input table. */
export function wordsOf(type: Register['type']): number {
  return type === 'float64' ? 4 : type === 'int32' || type === 'uint32' || type === 'float32' ? 2 : 1;
}

/**
 * Puts the words of a value into big-endian (ABCD) byte order. `order` names how the device
 * lays out the value's bytes A (most significant) … D:
 * ABCD big-endian; CDAB words swapped (low word first; for 64-bit values all four words reversed);
 * BADC bytes swapped inside each word; DCBA little-endian (both).
 */
export function toBigEndian(words: readonly number[], order: Register['order']): Buffer {
  const ordered = order === 'CDAB' || order === 'DCBA' ? [...words].reverse() : words;
  const buffer = Buffer.alloc(ordered.length * 2);
  ordered.forEach((word, i) => buffer.writeUInt16BE(word & 0xffff, i * 2));
  if (order === 'BADC' || order === 'DCBA') buffer.swap16();
  return buffer;
}

/**
 * Decodes one point from the words (or bits) of a read, in the register's byte order; then
 * value = raw × scale + offset. Bits give booleans.
 */
export function decodeRegister(register: Register, words: readonly number[], bits: readonly boolean[], offset: number): number | boolean {
  if (register.table === 'coil' || register.table === 'discrete') return bits[offset] === true;
  if (register.type === 'bool') return (words[offset] ?? 0) !== 0;
  const count = wordsOf(register.type);
  const own: number[] = [];
  for (let i = 0; i < count; i++) own.push(words[offset + i] ?? 0);
  const buffer = toBigEndian(own, register.order ?? 'ABCD');
  const raw = readRaw(register.type, buffer);
  return raw * register.scale + register.offset;
}

function readRaw(type: Exclude<Register['type'], 'bool'>, buffer: Buffer): number {
  switch (type) {
    case 'int16':
      return buffer.readInt16BE(0);
    case 'uint16':
      return buffer.readUInt16BE(0);
    case 'int32':
      return buffer.readInt32BE(0);
    case 'uint32':
      return buffer.readUInt32BE(0);
    case 'float32':
      return buffer.readFloatBE(0);
    case 'float64':
      return buffer.readDoubleBE(0);
  }
}
