export type SimErrorCode = 'SIM_POINT' | 'SIM_NODE' | 'SIM_LISTEN' | 'SIM_SCENARIO';

/** A simulator set-up or control error; `code` is stable. */
export class SimError extends Error {
  override readonly name = 'SimError';
  constructor(
    readonly code: SimErrorCode,
    message: string,
  ) {
    super(message);
  }
}
