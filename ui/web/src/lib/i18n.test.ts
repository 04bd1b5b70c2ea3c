import { describe, expect, it } from 'vitest';
import { defaultLang, formatPercent, translate } from './i18n.ts';

describe('i18n', () => {
  it('defaults to Chinese only when the first browser language is Chinese', () => {
    expect(defaultLang(['zh-CN', 'en'])).toBe('zh');
    expect(defaultLang(['zh-TW'])).toBe('zh');
    expect(defaultLang(['en-GB', 'zh-CN'])).toBe('en');
    expect(defaultLang([])).toBe('en');
  });

  it('has both languages for verdict words', () => {
    expect(translate('zh', 'verdict.fail')).toBe('不合格');
    expect(translate('en', 'verdict.fail')).toBe('fail');
    expect(formatPercent('en', 0.934)).toBe('93%');
  });
});
