/**
 * Which point each figure of a record the twin measured is about (the day's online rate is its worst safety
 * point's, the clock skew its worst clock's), kept in the record's `ref` as `<figure>=<point id>` pairs:
 * "onlineRate=T201.level clockSkewS=GD101.gas". Ids only, in no language, so each page says it in its own
 * words beside the figure; and stored as any record's reference is (db keeps `ref` as text).
 */
export type FigurePoints = Record<string, string>;

const PAIR = /^([A-Za-z][A-Za-z0-9]*)=(\S+)$/;

export function figurePointsRef(points: FigurePoints): string {
  return Object.entries(points)
    .map(([figure, point]) => `${figure}=${point}`)
    .join(' ');
}

/** the pairs of a `ref` written by figurePointsRef; null for any other reference (a document number, a person's note) */
export function parseFigurePoints(ref: string | undefined): FigurePoints | null {
  if (!ref) return null;
  const out: FigurePoints = {};
  for (const pair of ref.split(' ')) {
    const m = PAIR.exec(pair);
    if (!m) return null;
    out[m[1]!] = m[2]!;
  }
  return out;
}
