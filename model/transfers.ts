/**
 * A transfer a manager declares on a tank (issue 26: "or a transfer declared"): receiving or sending at
 * about `rateM3h` until `until`. The stuck-gauge check treats a declared transfer like an open valve and
 * a flow: where the tank has no flow meter (or no good reading of it) the declared rate stands for one.
 */
export interface TransferDeclaration {
  /** the tank's asset id */
  tank: string;
  /** 'in': the tank receives; 'out': it sends */
  direction: 'in' | 'out';
  /** the expected rate, m³/h, > 0 */
  rateM3h: number;
  /** the declaration's end, ms since epoch */
  until: number;
  /** who declared it, and when (ms since epoch) */
  by: string;
  at: number;
}

export const TRANSFER_DIRECTIONS = ['in', 'out'] as const;
