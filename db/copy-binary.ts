/**
 * PostgreSQL's binary COPY format for `samples` rows: no text parsing on the server (the
 * timestamp travels as microseconds since 2000-01-01), which is what makes COPY fast on
 * PGlite as well as on PostgreSQL. Column order is SAMPLE_COPY_COLUMNS.
 */
import type { SampleColumns } from './rows.ts';

export const SAMPLE_COPY_COLUMNS = '(series_id, ts, value_num, value_bool, value_text, quality, reason)';

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

export function encodeSamplesBinary(seriesIds: ArrayLike<number>, c: SampleColumns): Uint8Array {
  const n = seriesIds.length;
  let buf = Buffer.allocUnsafe(Math.max(1024, n * 96));
  let dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  let o = 0;
  const ensure = (bytes: number): void => {
    if (o + bytes <= buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(buf.length * 2, o + bytes));
    buf.copy(next, 0, 0, o);
    buf = next;
    dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  };
  const nul = (): void => {
    dv.setInt32(o, -1);
    o += 4;
  };
  const text = (v: string | null): void => {
    if (v === null) return nul();
    ensure(4 + v.length * 3);
    const written = buf.write(v, o + 4, 'utf8');
    dv.setInt32(o, written);
    o += 4 + written;
  };
  for (let i = 0; i < SIGNATURE.length; i++) buf[i] = SIGNATURE[i]!;
  o = SIGNATURE.length;
  dv.setInt32(o, 0); // flags
  dv.setInt32(o + 4, 0); // header extension length
  o += 8;
  for (let i = 0; i < n; i++) {
    ensure(2 + 8 + 12 + 12 + 5 + 64);
    dv.setInt16(o, 7);
    dv.setInt32(o + 2, 4);
    dv.setInt32(o + 6, seriesIds[i]!);
    dv.setInt32(o + 10, 8);
    const us = Math.round((c.ts[i]! - PG_EPOCH_MS) * 1000);
    dv.setBigInt64(o + 14, BigInt(us));
    o += 22;
    const num = c.valueNum[i]!;
    if (num === null) nul();
    else {
      dv.setInt32(o, 8);
      dv.setFloat64(o + 4, num);
      o += 12;
    }
    const bool = c.valueBool[i]!;
    if (bool === null) nul();
    else {
      dv.setInt32(o, 1);
      buf[o + 4] = bool ? 1 : 0;
      o += 5;
    }
    text(c.valueText[i]!);
    text(c.quality[i]!);
    text(c.reason[i]!);
  }
  ensure(2);
  dv.setInt16(o, -1);
  o += 2;
  return buf.subarray(0, o);
}
