/** The web app's words for exercises on the twin (issue 24); the reports', outcomes' and states' own words come from model/exercise-words.ts. */
import { EXERCISE_OUTCOME_WORDS, EXERCISE_STATE_WORDS, EXERCISE_WHAT_WORDS } from '../../../../model/exercise-words.ts';
import type { Lang } from './lang.ts';

function keyed<P extends string, K extends string>(prefix: P, words: Record<K, Record<Lang, string>>): Record<`${P}${K}`, Record<Lang, string>> {
  return Object.fromEntries(Object.entries(words).map(([k, v]) => [`${prefix}${k}`, v])) as Record<`${P}${K}`, Record<Lang, string>>;
}

export const exerciseStrings = {
  exercises: { zh: '演练', en: 'Exercises' },
  exerciseBanner: { zh: '演练 — 非真实事故', en: 'EXERCISE — not a real incident' },
  exerciseBannerHint: {
    zh: '本页警报来自演练影子孪生体，实时孪生体照常运行；真实警报优先显示',
    en: "This page's alerts come from the exercise's shadow twin; the live twin runs on as usual, and real alerts come first",
  },
  realIncidentFirst: { zh: '真实事故（优先处置）', en: 'Real incident (takes precedence)' },
  exercisesRunning: { zh: '进行中的演练（真实事故在上方优先）', en: 'Exercises running (real incidents above come first)' },
  exerciseStart: { zh: '开始演练', en: 'Start an exercise' },
  exerciseScenario: { zh: '情景', en: 'Scenario' },
  exerciseSpeed: { zh: '时间倍率（1 = 实时）', en: 'Pace (1 = real time)' },
  exerciseStartButton: { zh: '开始', en: 'Start' },
  exerciseList: { zh: '演练记录', en: 'Exercises on record' },
  noExercises: { zh: '尚无演练', en: 'No exercise yet' },
  exerciseClock: { zh: '演练时间', en: 'Exercise time' },
  exerciseAlerts: { zh: '演练警报', en: 'Exercise alerts' },
  exerciseNoAlerts: { zh: '演练尚未发出警报', en: 'The exercise has raised no alert yet' },
  exerciseReportOn: { zh: '报告', en: 'Report' },
  exerciseTimings: { zh: '响应时间与要求', en: 'Response times against the requirements' },
  exerciseRequired: { zh: '要求', en: 'Required' },
  exerciseNoRequirement: { zh: '标准未规定时限', en: 'no required time in the standard' },
  exerciseMinutes: { zh: '分钟', en: 'min' },
  exerciseParties: { zh: '各参演队伍（自首次警报起）', en: 'Each party (from the first alert)' },
  exerciseTimeline: { zh: '时间线', en: 'Timeline' },
  exerciseComment: { zh: '意见', en: 'Comment' },
  exerciseCommentButton: { zh: '添加意见', en: 'Add comment' },
  exerciseStop: { zh: '中止演练', en: 'Stop the exercise' },
  exerciseComplete: { zh: '完成演练并归档', en: 'Complete and file the drill' },
  exerciseReportPdf: { zh: '演练报告（PDF，已签名）', en: 'Exercise report (PDF, signed)' },
  exerciseSignature: { zh: '签名文件', en: 'Signature' },
  exerciseFiled: { zh: '已归档为证据', en: 'Filed as evidence' },
  exerciseValidUntil: { zh: '有效期至', en: 'valid until' },
  exercisePassed: { zh: '合格', en: 'passed' },
  exerciseNotPassed: { zh: '不合格', en: 'not passed' },
  exerciseStartedBy: { zh: '发起人', en: 'Started by' },
  ...keyed('exercise.what.', EXERCISE_WHAT_WORDS),
  ...keyed('exercise.outcome.', EXERCISE_OUTCOME_WORDS),
  ...keyed('exercise.state.', EXERCISE_STATE_WORDS),
} satisfies Record<string, Record<Lang, string>>;
