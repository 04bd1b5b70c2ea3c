/** The languages the web app speaks. */
export type Lang = 'zh' | 'en';
