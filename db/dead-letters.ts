/**
 * A writer lane's dead letters: rows the database refused again and again (a NUL in a text, a
 * value out of range, a broken document) are taken out of the lane with the error, so that the
 * rows behind them go on. An outage is not a refusal: rows wait for the database, however long.
 */

/** The writer lanes. */
export type Lane = 'samples' | 'results' | 'scores' | 'alerts' | 'audit';

/** A row given up on, as stored in `dead_letters`. */
export interface DeadLetter {
  id?: number;
  lane: Lane;
  /** the row as JSON text (escaped: it holds what the database would not) */
  payload: string;
  error: string;
  /** SQLSTATE or error name */
  code?: string;
  /** writes of this row that failed */
  attempts: number;
  failedAt: number;
}

/** SQLSTATE classes that refuse a row's content, not the connection: data exception, integrity, syntax or access, program limit. */
const ROW_CLASSES = new Set(['22', '23', '42', '54']);

/** The SQLSTATE of a database error (also when wrapped by drizzle), or undefined. */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/**
 * Whether the database (or the row's encoding) refused what was written, rather than being away:
 * such a write fails again however often it is retried, so the rows are tried apart.
 */
export function isRowFault(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined) return ROW_CLASSES.has(state.slice(0, 2));
  return error instanceof TypeError || error instanceof RangeError; // the row could not even be encoded
}

/** A dead letter for `row` failed with `error`. JSON.stringify escapes NUL and lone surrogates, so the text is storable. */
export function deadLetterOf(lane: Lane, row: unknown, error: unknown, attempts: number, now: number): DeadLetter {
  const err = error as { message?: unknown; cause?: { message?: unknown }; name?: unknown };
  const causeMessage = typeof err?.cause?.message === 'string' ? err.cause.message : undefined;
  const message = causeMessage ?? (typeof err?.message === 'string' ? err.message : String(error));
  const letter: DeadLetter = { lane, payload: safeJson(row), error: storable(message).slice(0, 2000), attempts, failedAt: now };
  const code = sqlState(error) ?? (typeof err?.name === 'string' ? err.name : undefined);
  if (code !== undefined) letter.code = code;
  return letter;
}

function safeJson(row: unknown): string {
  try {
    return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
  } catch (error) {
    return JSON.stringify({ unserialisable: String(error) });
  }
}

/** An error message may quote the row: keep it storable. */
function storable(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is what PostgreSQL text cannot store
  return text.replace(/\u0000/g, '\\u0000').replace(/[\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
