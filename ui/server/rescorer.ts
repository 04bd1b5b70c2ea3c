import type { Logger } from 'pino';
import { replay } from '../../engine/index.ts';
import { changelog, type Standard, type StandardChangelog } from '../../standards/index.ts';
import type { Rescorer } from './rescore-types.ts';

/**
 * Re-scoring over the loaded standards: engine/replay.ts under the chosen version, the changelog between any two
 * of them (computed once per pair) and the hazard checks that differ. What the composition root gives the rescore route.
 */
export function createRescorer(standards: readonly Standard[], options: { logger?: Logger; maxSamples?: number } = {}): Rescorer {
  const byKey = new Map(standards.map((s) => [s.key, s]));
  const logs = new Map<string, StandardChangelog>();
  return {
    standards: standards.map((s) => s.key),
    ...(options.maxSamples !== undefined ? { maxSamples: options.maxSamples } : {}),
    replay: ({ standard, ...input }) => {
      const loaded = byKey.get(standard);
      if (!loaded) throw new Error(`rescore: standard ${standard} is not loaded (loaded: ${[...byKey.keys()].join(', ')})`);
      return replay({ ...input, standard: loaded, ...(options.logger ? { logger: options.logger } : {}) });
    },
    hazardChanges(from, to) {
      const a = byKey.get(from);
      const b = byKey.get(to);
      if (!a || !b) return undefined;
      const kinds = (s: Standard) => Object.keys(s.hazards) as (keyof Standard['hazards'])[];
      return {
        added: kinds(b).filter((k) => !(k in a.hazards)),
        removed: kinds(a).filter((k) => !(k in b.hazards)),
        changed: kinds(b).filter((k) => k in a.hazards && JSON.stringify(a.hazards[k]) !== JSON.stringify(b.hazards[k])),
      };
    },
    changelog(from, to) {
      const a = byKey.get(from);
      const b = byKey.get(to);
      if (!a || !b || a.id !== b.id) return undefined;
      const key = `${from}\u0000${to}`;
      let log = logs.get(key);
      if (!log) logs.set(key, (log = newer(a, b) ? backwards(changelog(b, a)) : changelog(a, b)));
      return log;
    },
  };
}

const newer = (a: Standard, b: Standard) => {
  const [x, y] = [a.version, b.version].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return x![i]! > y![i]!;
  return false;
};

/** Re-scoring under an older version: what the newer one added is removed, and the other way round; changes keep their reasons. */
const backwards = (log: StandardChangelog): StandardChangelog => ({ ...log, from: log.to, to: log.from, added: log.removed, removed: log.added });
