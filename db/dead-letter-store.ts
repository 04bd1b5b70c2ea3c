import type { DeadLetter, Lane } from './dead-letters.ts';

/** Rows the writer gave up on (db/dead-letters.ts), kept with their lane and error. */
export interface DeadLetterStore {
  writeDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
  deadLetters(filter?: { lane?: Lane; afterId?: number; limit?: number }): Promise<DeadLetter[]>;
}
