/** The words of an exercise's reports, outcomes and timeline, in Chinese and English: the PDF and the web app both say them from here. */
import type { ExerciseEntry, ExerciseState, ExerciseTiming } from './exercise.ts';
import type { Bilingual } from './results.ts';

export const EXERCISE_WHAT_WORDS: Record<ExerciseEntry['what'], Bilingual> = {
  start: { zh: '演练开始', en: 'Exercise started' },
  alerted: { zh: '发出警报', en: 'Alert raised' },
  acknowledged: { zh: '已接警', en: 'Received' },
  'en-route': { zh: '已出发', en: 'En route' },
  'on-scene': { zh: '已到场', en: 'On scene' },
  'cooling-started': { zh: '开始冷却着火罐', en: 'Cooling of the burning tank started' },
  'neighbour-cooling-started': { zh: '开始冷却相邻罐', en: 'Cooling of the neighbours started' },
  'foam-applied': { zh: '开始供泡沫', en: 'Foam applied' },
  'dike-drain-closed': { zh: '防火堤排水阀已关闭', en: 'Dike drain closed' },
  'evacuation-confirmed': { zh: '人员疏散已确认', en: 'Evacuation confirmed' },
  comment: { zh: '意见', en: 'Comment' },
  stop: { zh: '演练中止', en: 'Exercise stopped' },
  complete: { zh: '演练完成', en: 'Exercise completed' },
};

export const EXERCISE_OUTCOME_WORDS: Record<ExerciseTiming['outcome'], Bilingual> = {
  met: { zh: '达标', en: 'met' },
  late: { zh: '超时', en: 'late' },
  missed: { zh: '遗漏', en: 'missed' },
  recorded: { zh: '已记录（标准未规定时限）', en: 'recorded (no required time)' },
};

export const EXERCISE_STATE_WORDS: Record<ExerciseState, Bilingual> = {
  running: { zh: '进行中', en: 'running' },
  completed: { zh: '已完成', en: 'completed' },
  stopped: { zh: '已中止', en: 'stopped' },
};
