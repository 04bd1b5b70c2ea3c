/**
 * Why a modbus-serial call failed: a Modbus exception (with its code), no answer in time, an
 * answer that does not parse (the stream is out of step), or no connection; `reason` is fit for
 * a sample's `reason`.
 */
export type Failure = { kind: 'exception'; code: number; reason: string } | { kind: 'timeout' | 'frame' | 'connection'; reason: string };

/** modbus-serial's words for an answer it could not take (index.js _onReceive) */
const UNPARSED = /^(Data length error|CRC error|Unexpected data error)/;

export function describeFailure(error: unknown): Failure {
  const e = error as { modbusCode?: unknown; name?: unknown; message?: unknown; errno?: unknown; code?: unknown };
  if (typeof e?.modbusCode === 'number') return { kind: 'exception', code: e.modbusCode, reason: `modbus exception ${e.modbusCode}` };
  if (e?.name === 'TransactionTimedOutError' || e?.errno === 'ETIMEDOUT') return { kind: 'timeout', reason: 'timeout' };
  if (typeof e?.message === 'string' && UNPARSED.test(e.message)) return { kind: 'frame', reason: `out of step: ${e.message}` };
  const detail = typeof e?.code === 'string' ? e.code : typeof e?.message === 'string' ? e.message : String(error);
  return { kind: 'connection', reason: `not connected (${detail})` };
}
