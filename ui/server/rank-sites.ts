/** How the office ranks its sites: one rule for GET /api/ranking and for the overview's live table. */

/** A site without a score first (it cannot be judged), then the lowest score first; equal scores by site id. */
export function compareRanked(a: { site: string; score: number | null }, b: { site: string; score: number | null }): number {
  return (a.score ?? -1) - (b.score ?? -1) || a.site.localeCompare(b.site);
}

/** The score now less the score then, to the hundredth; null when either is unknown. */
export function scoreChange(now: number | null, then: number | null): number | null {
  return now === null || then === null ? null : Math.round((now - then) * 100) / 100;
}
