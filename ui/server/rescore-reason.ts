import type { StandardChangelog } from '../../standards/index.ts';
import type { HazardChanges, RescoreReason } from './rescore-types.ts';

/**
 * What the changelog from the recorded version to the re-scored one says of a clause: added, removed, changed
 * (with its fields, its old id and the newer version's reason), or unchanged. A clause renamed by a corrected
 * citation is found under either id. Under the same version every clause is unchanged; without a changelog between
 * two different versions (one of them not loaded) nothing is said rather than a guess. A clause unchanged between two
 * versions carries the hazard checks that differ between them, when some do: they can turn its verdict.
 */
export function rescoreReason(clause: string, from: string, to: string, log: StandardChangelog | undefined, hazards?: HazardChanges): RescoreReason | undefined {
  const base = { from, to };
  if (from === to) return { ...base, change: 'unchanged' };
  if (!log) return undefined;
  const why = (e: { why?: string }) => (e.why ? { why: e.why } : {});
  const added = log.added.find((e) => e.id === clause);
  if (added) return { ...base, change: 'added', ...why(added) };
  const changed = log.changed.find((e) => e.id === clause || e.replaces === clause);
  if (changed) return { ...base, change: 'changed', fields: changed.fields, ...(changed.replaces ? { replaces: changed.replaces } : {}), ...why(changed) };
  const removed = log.removed.find((e) => e.id === clause);
  if (removed) return { ...base, change: 'removed', ...why(removed) };
  const differ = hazards && hazards.added.length + hazards.removed.length + hazards.changed.length > 0;
  return { ...base, change: 'unchanged', ...(differ ? { hazards } : {}) };
}
