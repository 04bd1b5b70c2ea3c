/**
 * A failed request as the user reads it: in Chinese the kind of failure by its HTTP status (the
 * server's own message is English, written for the English page and the log); in English the
 * server's message, which names the place and the problem.
 */
import { ApiError } from './api.ts';
import { translate, type Lang, type StringKey } from './i18n.ts';

const STATUSES = new Set([400, 401, 403, 404, 405, 409, 413, 415, 429]);

export function errorWords(lang: Lang, error: unknown): string {
  if (error instanceof ApiError) {
    const status = STATUSES.has(error.status) ? error.status : error.status >= 500 ? 500 : 400;
    const kind = translate(lang, `httpError.${status}` as StringKey);
    return lang === 'zh' ? kind : `${kind}: ${error.message}`;
  }
  return translate(lang, 'httpError.network');
}
