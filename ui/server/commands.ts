import type { Alert, ResponseStatus } from '../../model/index.ts';
import { ClientError } from './errors.ts';

/**
 * The alarm commands of the live twin; the engine (engine/index.ts) satisfies it as it is, and main.ts
 * passes it as `commands: engine`. Each method throws an error with a `code` (the engine's EngineError):
 * ENGINE_UNKNOWN_ALERT / ENGINE_UNKNOWN_ASSET → 404, ENGINE_ALERT_STATE and ENGINE_NOT_SHELVABLE → 409, ENGINE_BAD_COMMAND → 400.
 */
export interface AlarmCommands {
  /** an open alert by id */
  alert(alertId: string): Alert | undefined;
  /** a comment is required */
  acknowledge(alertId: string, by: string, comment: string): Alert;
  /** until `untilMs`, at most the standard's maxShelve */
  shelve(alertId: string, by: string, untilMs: number, reason: string): Alert;
  unshelve(alertId: string, by: string, comment?: string): Alert;
  /** an incident whose condition has cleared, closed by a person with a comment */
  close(alertId: string, by: string, comment: string): Alert;
  /** incidents only */
  respond(alertId: string, by: string, status: ResponseStatus): Alert;
}

const STATUS_OF_CODE: Record<string, { status: 400 | 404 | 409; code: 'bad-request' | 'not-found' | 'conflict' }> = {
  ENGINE_UNKNOWN_ALERT: { status: 404, code: 'not-found' },
  ENGINE_UNKNOWN_ASSET: { status: 404, code: 'not-found' },
  ENGINE_UNKNOWN_SITE: { status: 404, code: 'not-found' },
  ENGINE_ALERT_STATE: { status: 409, code: 'conflict' },
  ENGINE_NOT_SHELVABLE: { status: 409, code: 'conflict' },
  ENGINE_BAD_COMMAND: { status: 400, code: 'bad-request' },
};

/** Runs a command; a refusal of the engine becomes the client error its code stands for, anything else stays a 500. */
export function runCommand<T>(command: () => T): T {
  try {
    return command();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const mapped = typeof code === 'string' ? STATUS_OF_CODE[code] : undefined;
    if (!mapped) throw error;
    throw new ClientError(mapped.status, mapped.code, (error as Error).message);
  }
}
