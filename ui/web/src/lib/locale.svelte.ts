import { type Lang, type StringKey, defaultLang, translate } from './i18n.ts';

/** The chosen UI language; remembered in localStorage. */
export class Locale {
  #lang = $state<Lang>('en');

  constructor(languages: readonly string[], stored: string | null) {
    this.#lang = stored === 'zh' || stored === 'en' ? stored : defaultLang(languages);
  }

  get lang(): Lang {
    return this.#lang;
  }

  set lang(lang: Lang) {
    this.#lang = lang;
  }

  toggle(): Lang {
    this.#lang = this.#lang === 'zh' ? 'en' : 'zh';
    return this.#lang;
  }

  t = (key: StringKey): string => translate(this.#lang, key);

  /** picks the text of a bilingual value */
  pick = (text: { zh: string; en: string }): string => text[this.#lang];
}
