import type { Bilingual } from '../../model/index.ts';

/** One signal of the test: `onS` seconds sounding, `offS` silent, `cycles` times (the all-clear: one long sounding). */
export interface SirenSignal {
  onS: number;
  offS: number;
  cycles: number;
}

/** The test pattern, in the order it sounds, with how far a sounding or a pause may be off (the standard's params). */
export interface SirenPattern {
  preAlert: SirenSignal;
  airRaid: SirenSignal;
  allClear: SirenSignal;
  toleranceS: number;
}

/** A time the siren's status said it was sounding, ms; clipped to the window where it began before or ran past it. */
export interface SoundingSpan {
  from: number;
  to: number;
}

export type SirenTestOutcome = 'passed' | 'off-pattern' | 'silent' | 'unobserved';

export interface SirenTestJudgement {
  outcome: SirenTestOutcome;
  /** correctly timed cycles of each signal, in its longest run */
  preAlertCycles: number;
  airRaidCycles: number;
  /** the longest sounding taken as the all-clear, s (0 without one) */
  allClearSeconds: number;
  soundedSeconds: number;
  /** time in the window without a good status reading, s */
  blindSeconds: number;
  /** what was wrong, in the order found; empty when passed */
  problems: Bilingual[];
}

type SignalName = 'preAlert' | 'airRaid' | 'allClear';
const ORDER: SignalName[] = ['preAlert', 'airRaid', 'allClear'];
const NAMES: Record<SignalName, Bilingual> = {
  preAlert: { zh: '预先警报', en: 'pre-alert' },
  airRaid: { zh: '空袭警报', en: 'air raid' },
  allClear: { zh: '解除警报', en: 'all-clear' },
};

interface Run {
  signal: SignalName;
  /** spans in the run, consecutive with the signal's pause between them */
  count: number;
  from: number;
  to: number;
  longestS: number;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * Judges a siren's soundings in the test window against the pattern: each sounding is one signal's
 * when its length is within the tolerance of that signal's (else it is odd); soundings of one signal
 * separated by that signal's pause (within the tolerance) are one run; the siren passes when it sounded
 * one run of each signal with exactly its cycles, in order, nothing odd, nothing cut by the window's
 * edges, and its status was readable all through the window. Silent: no sounding at all while readable.
 * Unobserved: its status was unreadable for part of the window — never a pass, and never "silent".
 */
export function judgeSirenTest(spans: readonly SoundingSpan[], window: { start: number; end: number }, blindMs: number, pattern: SirenPattern): SirenTestJudgement {
  const tol = pattern.toleranceS;
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const problems: Bilingual[] = [];
  const at = (ms: number) => `${seconds(ms - window.start)} s`;
  const near = (value: number, target: number) => Math.abs(value - target) <= tol;
  const classify = (lengthS: number): SignalName | undefined => ORDER.find((s) => near(lengthS, pattern[s].onS));

  const runs: Run[] = [];
  let previous: { signal: SignalName | undefined; to: number } | undefined;
  for (const span of sorted) {
    const lengthS = (span.to - span.from) / 1000;
    if (span.from <= window.start) problems.push({ zh: `窗口开始时已在鸣响`, en: 'already sounding when the window opened' });
    if (span.to >= window.end) problems.push({ zh: `窗口结束时仍在鸣响`, en: 'still sounding when the window closed' });
    const signal = classify(lengthS);
    if (!signal) {
      problems.push({
        zh: `窗口开始后 ${at(span.from)} 鸣响 ${seconds(span.to - span.from)} s，不属于任何信号`,
        en: `sounded ${seconds(span.to - span.from)} s at ${at(span.from)} into the window: no signal sounds that long`,
      });
      previous = { signal: undefined, to: span.to };
      continue;
    }
    const run = runs.at(-1);
    const pauseS = previous ? (span.from - previous.to) / 1000 : undefined;
    if (run && previous?.signal === signal && run.signal === signal && pauseS !== undefined && near(pauseS, pattern[signal].offS)) {
      run.count++;
      run.to = span.to;
      run.longestS = Math.max(run.longestS, lengthS);
    } else {
      if (run && previous?.signal === signal && run.signal === signal && pauseS !== undefined && pauseS < pattern[signal].offS)
        problems.push({
          zh: `${NAMES[signal].zh}间歇 ${seconds(pauseS * 1000)} s，应为 ${pattern[signal].offS} s`,
          en: `${NAMES[signal].en}: a pause of ${seconds(pauseS * 1000)} s where ${pattern[signal].offS} s was due`,
        });
      runs.push({ signal, count: 1, from: span.from, to: span.to, longestS: lengthS });
    }
    previous = { signal, to: span.to };
  }

  const best = (signal: SignalName) => runs.filter((r) => r.signal === signal).reduce<Run | undefined>((a, r) => (!a || r.count > a.count ? r : a), undefined);
  for (const signal of ORDER) {
    const { cycles, onS, offS } = pattern[signal];
    const own = runs.filter((r) => r.signal === signal);
    const shape = signal === 'allClear' ? `${onS} s` : `${onS} s / ${offS} s × ${cycles}`;
    if (own.length === 0) problems.push({ zh: `未鸣放${NAMES[signal].zh}（${shape}）`, en: `no ${NAMES[signal].en} (${shape})` });
    else if (own.length > 1) problems.push({ zh: `${NAMES[signal].zh}分 ${own.length} 段鸣放`, en: `the ${NAMES[signal].en} sounded in ${own.length} parts` });
    const run = best(signal);
    if (run && run.count !== cycles)
      problems.push({
        zh: `${NAMES[signal].zh}鸣响 ${run.count} 遍，应为 ${cycles} 遍`,
        en: `${NAMES[signal].en}: ${run.count} cycle${run.count === 1 ? '' : 's'} where ${cycles} were due`,
      });
  }
  const firsts = ORDER.map((s) => runs.find((r) => r.signal === s)?.from).filter((t): t is number => t !== undefined);
  if (firsts.some((t, i) => i > 0 && t < firsts[i - 1]!))
    problems.push({ zh: '信号顺序不对（应为预先警报、空袭警报、解除警报）', en: 'the signals out of order (pre-alert, air raid, then all-clear)' });

  const soundedMs = sorted.reduce((sum, s) => sum + (s.to - s.from), 0);
  if (blindMs > 0) problems.unshift({ zh: `窗口内 ${seconds(blindMs)} s 无有效状态读数`, en: `no good status reading for ${seconds(blindMs)} s of the window` });
  const outcome: SirenTestOutcome = blindMs > 0 ? 'unobserved' : sorted.length === 0 ? 'silent' : problems.length > 0 ? 'off-pattern' : 'passed';
  if (outcome === 'silent') problems.splice(0, problems.length, { zh: '试鸣窗口内未鸣响', en: 'silent all through the test window' });
  return {
    outcome,
    preAlertCycles: best('preAlert')?.count ?? 0,
    airRaidCycles: best('airRaid')?.count ?? 0,
    allClearSeconds: Math.round(best('allClear')?.longestS ?? 0),
    soundedSeconds: Math.round(soundedMs / 1000),
    blindSeconds: Math.round(blindMs / 1000),
    problems,
  };
}
