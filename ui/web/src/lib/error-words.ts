/**
 * A failed request as the user reads it: in Chinese the kind of failure by its HTTP status (the
 * server's own message is English, written for the English page and the log); in English the
 * server's message, which names the place and the problem.
 */
import { ApiError } from './api.ts';
import { translate, type Lang, type StringKey } from './i18n.ts';

const STATUSES = new Set([400, 401, 403, 404, 405, 409, 413, 415, 429]);

export function errorWords(lang: Lang, error: unknown): string {
  return error instanceof ApiError ? statusWords(lang, error.status, error.message) : translate(lang, 'httpError.network');
}

/** the same for a failure kept as its status and the server's message (0: the server was not reached) */
export function statusWords(lang: Lang, status: number, message: string): string {
  if (status === 0) return translate(lang, 'httpError.network');
  const kind = translate(lang, `httpError.${STATUSES.has(status) ? status : status >= 500 ? 500 : 400}` as StringKey);
  return lang === 'zh' ? kind : `${kind}: ${message}`;
}
