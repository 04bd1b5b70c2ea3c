/** The exercise routes (ui/server/exercise/exercise-routes.ts) as the web app calls them. */
import type { Bilingual, Exercise, ExerciseEntry, ExerciseReport } from '../../../../model/index.ts';
import { getJson, send } from './api.ts';

export type { Exercise, ExerciseEntry, ExerciseParty, ExerciseReport, ExerciseTiming } from '../../../../model/index.ts';

const path = (id: string) => `/api/exercises/${encodeURIComponent(id)}`;

export const fetchExercises = (signal?: AbortSignal): Promise<Exercise[]> => getJson('/api/exercises', signal);
export const fetchExercise = (id: string, signal?: AbortSignal): Promise<Exercise> => getJson(path(id), signal);
export const fetchExerciseScenarios = (site: string, signal?: AbortSignal): Promise<{ name: string; title: Bilingual }[]> =>
  getJson(`/api/sites/${encodeURIComponent(site)}/exercise-scenarios`, signal);

export const startExercise = async (body: { site: string; scenario: string; speed: number }, csrf: string | null): Promise<Exercise> =>
  (await send<Exercise>('POST', '/api/exercises', body, csrf)) as Exercise;
export const reportOnExercise = async (id: string, body: { alert: string; report: ExerciseReport }, csrf: string | null): Promise<ExerciseEntry> =>
  (await send<ExerciseEntry>('POST', `${path(id)}/reports`, body, csrf)) as ExerciseEntry;
export const commentOnExercise = async (id: string, text: string, csrf: string | null): Promise<ExerciseEntry> =>
  (await send<ExerciseEntry>('POST', `${path(id)}/comments`, { text }, csrf)) as ExerciseEntry;
export const endExercise = async (id: string, how: 'stop' | 'complete', comment: string, csrf: string | null): Promise<Exercise> =>
  (await send<Exercise>('POST', `${path(id)}/${how}`, comment ? { comment } : {}, csrf)) as Exercise;

export const exerciseReportUrl = (id: string): string => `${path(id)}/report.pdf`;
export const exerciseSignatureUrl = (id: string): string => `${path(id)}/report.pdf.sig`;
