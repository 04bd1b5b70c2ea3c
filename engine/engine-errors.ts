export type EngineErrorCode =
  | 'ENGINE_NO_STANDARD'
  | 'ENGINE_UNIT_MISMATCH'
  | 'ENGINE_DUPLICATE_SITE'
  | 'ENGINE_UNKNOWN_SITE'
  /** a command names an alert the engine does not hold open */
  | 'ENGINE_UNKNOWN_ALERT'
  /** a command names an asset the site does not have */
  | 'ENGINE_UNKNOWN_ASSET'
  /** a command that the alert's state does not allow (acknowledging twice, unshelving what is not shelved…) */
  | 'ENGINE_ALERT_STATE'
  /** shelving or suppressing an alarm the standard never lets be shelved (severity 1, incidents) */
  | 'ENGINE_NOT_SHELVABLE'
  /** a command with a missing or invalid argument (no comment, a shelve time in the past or too long…) */
  | 'ENGINE_BAD_COMMAND'
  /** a hazard model's parameter is missing from the standard or has the wrong shape */
  | 'ENGINE_HAZARD_PARAM'
  /** the standard's alarms.health section has a figure the engine cannot use */
  | 'ENGINE_ALARM_PARAM';

/** A site and standard that cannot be run together, or a command the engine refuses; says which and why. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}
