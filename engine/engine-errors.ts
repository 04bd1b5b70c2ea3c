export type EngineErrorCode = 'ENGINE_NO_STANDARD' | 'ENGINE_UNIT_MISMATCH' | 'ENGINE_DUPLICATE_SITE' | 'ENGINE_UNKNOWN_SITE';

/** A site and standard that cannot be run together; says which and why. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}
