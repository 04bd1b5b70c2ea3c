/** Exception names of the Modbus application protocol specification v1.1b3, §7. */
const EXCEPTIONS: Record<number, string> = {
  1: 'Illegal Function',
  2: 'Illegal Data Address',
  3: 'Illegal Data Value',
  4: 'Server Device Failure',
  5: 'Acknowledge',
  6: 'Server Device Busy',
  8: 'Memory Parity Error',
  10: 'Gateway Path Unavailable',
  11: 'Gateway Target Device Failed to Respond',
};

export type FailureKind = 'exception' | 'timeout' | 'connection';

/** Why a read failed, in words fit for a sample's `reason`, and whether the connection must be reopened. */
export function describeFailure(error: unknown): { kind: FailureKind; reason: string } {
  const e = error as { modbusCode?: unknown; name?: unknown; message?: unknown; errno?: unknown; code?: unknown };
  if (typeof e?.modbusCode === 'number') {
    return { kind: 'exception', reason: `modbus exception ${e.modbusCode} (${EXCEPTIONS[e.modbusCode] ?? 'Unknown'})` };
  }
  if (e?.name === 'TransactionTimedOutError' || e?.errno === 'ETIMEDOUT') return { kind: 'timeout', reason: 'timeout' };
  const detail = typeof e?.code === 'string' ? e.code : typeof e?.message === 'string' ? e.message : String(error);
  return { kind: 'connection', reason: `not connected (${detail})` };
}
