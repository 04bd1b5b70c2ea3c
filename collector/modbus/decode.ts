import type { Register } from './plan-requests.ts';

/**
 * Decodes one point from the words (or bits) of a read: big-endian words, high word first for
 * 32-bit types; then value = raw × scale + offset. Bits give booleans.
 */
export function decodeRegister(register: Register, words: readonly number[], bits: readonly boolean[], offset: number): number | boolean {
  if (register.table === 'coil' || register.table === 'discrete') return bits[offset] === true;
  const word = (i: number) => words[offset + i] ?? 0;
  const buffer = Buffer.alloc(4);
  buffer.writeUInt16BE(word(0) & 0xffff, 0);
  buffer.writeUInt16BE(word(1) & 0xffff, 2);
  let raw: number;
  switch (register.type) {
    case 'bool':
      return word(0) !== 0;
    case 'int16':
      raw = buffer.readInt16BE(0);
      break;
    case 'uint16':
      raw = buffer.readUInt16BE(0);
      break;
    case 'int32':
      raw = buffer.readInt32BE(0);
      break;
    case 'uint32':
      raw = buffer.readUInt32BE(0);
      break;
    case 'float32':
      raw = buffer.readFloatBE(0);
      break;
  }
  return raw * register.scale + register.offset;
}
