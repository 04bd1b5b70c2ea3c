/** How a row becomes one line of a segment file and back. A line never holds a newline. */
export interface QueueCodec<T> {
  encode(row: T): string;
  /** throws on a damaged line (the queue then skips and reports it) */
  decode(line: string): T;
}

/** Rows as JSON text (JSON.stringify never writes a raw newline). */
export function jsonCodec<T>(): QueueCodec<T> {
  return { encode: (row) => JSON.stringify(row), decode: (line) => JSON.parse(line) as T };
}
