import { describe, expect, it } from 'vitest';
import { formatInstant } from './datetime.ts';
import { evidenceParts, evidenceSentence, referenceText, thresholdWords } from './evidence-words.ts';
import type { Lang } from './i18n.ts';

const AT = Date.UTC(2026, 11, 5, 6, 2, 5);
const names: Record<string, { zh: string; en: string }> = { T101: { zh: '1号原油储罐', en: 'Crude tank 1' } };
const ctx = (lang: Lang) => ({ assetName: (id: string) => names[id], time: (ms: number) => formatInstant(lang, ms, 'Asia/Shanghai') });

describe('evidence in words', () => {
  it('says a reading with its asset, quantity, value, unit and time', () => {
    const e = { point: 'T101.level', value: 16.3, quality: 'good' as const, ts: AT, unit: 'm' as const };
    expect(evidenceSentence('en', e, ctx('en'))).toBe('Crude tank 1 level 16.3 m at 5 Dec 2026 14:02:05 GMT+8');
    expect(evidenceSentence('zh', e, ctx('zh'))).toBe('1号原油储罐 液位 16.3 米（2026-12-05 14:02:05 GMT+8）');
  });

  it('says when a reading is not good, and when there is none', () => {
    const e = { point: 'T101.level', value: 16.3, quality: 'uncertain' as const, ts: AT, unit: 'm' as const };
    expect(evidenceSentence('en', e, ctx('en'))).toBe('Crude tank 1 level 16.3 m at 5 Dec 2026 14:02:05 GMT+8, uncertain reading');
    expect(evidenceSentence('zh', { ...e, value: null, quality: 'bad' }, ctx('zh'))).toBe('1号原油储罐 液位：无读数');
  });

  it('says a static attribute with the unit the catalogue gives it, without a time (a design fact), and a yes/no as a word', () => {
    expect(evidenceSentence('en', { point: 'T101.capacity', value: 100000, quality: 'good', ts: AT, unit: null }, ctx('en'))).toBe('Crude tank 1 capacity: 100,000 m³');
    // a figure whose unit is no engineering unit says its own word after the number, not in its name
    expect(evidenceSentence('en', { point: 'T101.t90', value: 25, quality: 'good', ts: AT, unit: null }, ctx('en'))).toBe('Crude tank 1 response time t90: 25 s');
    expect(evidenceSentence('zh', { point: 'T101.t90', value: 25, quality: 'good', ts: AT, unit: null }, ctx('zh'))).toBe('1号原油储罐 响应时间 t90：25 秒');
    expect(evidenceSentence('zh', { point: 'T101.flame', value: false, quality: 'good', ts: AT, unit: 'bool' }, ctx('zh'))).toBe(
      '1号原油储罐 火焰 否（2026-12-05 14:02:05 GMT+8）',
    );
  });

  it('says a record as its kind, date, who, result and validity, never as an object', () => {
    const value = { date: '2026-11-02', by: 'Wang', ref: 'D-17', passed: true, values: { onlineRate: 0.95 }, validUntil: '2027-11-02' };
    const en = evidenceSentence('en', { point: 'record:evacuation-drill', value, quality: 'good', ts: AT, unit: null }, ctx('en'));
    expect(en).toBe('evacuation drill of 2026-11-02 by Wang (D-17): passed, online rate 95%, valid until 2027-11-02');
    expect(en).not.toMatch(/[{}]|object Object/);
    expect(evidenceSentence('zh', { point: 'record:evacuation-drill', value: null, quality: 'bad', ts: AT, unit: null }, ctx('zh'))).toBe('疏散演练：无记录');
  });

  it('says the set-points of a verdict and leaves the standard parameters to the requirement text', () => {
    const thresholds = { 'asset.levelHighHigh': 16.2, 'params.classWeight': { 甲A: 2 }, largestTank: 20000 };
    expect(thresholdWords('en', thresholds)).toEqual(['high-high level 16.2 m', 'largest tank 20,000 m³']);
    expect(thresholdWords('zh', thresholds)).toEqual(['高高液位 16.2 米', '最大罐容量 20,000 立方米']);
  });

  it("says an enumerated attribute's value and the site's own figures in words", () => {
    expect(evidenceSentence('zh', { point: 'T101.roof', value: 'external-floating', quality: 'good', ts: AT, unit: null }, ctx('zh'))).toBe('1号原油储罐 罐顶型式：外浮顶');
    expect(evidenceSentence('en', { point: 'site.depot.elevationAboveFlood', value: 1.5, quality: 'good', ts: AT, unit: null }, ctx('en'))).toBe(
      'Site elevation above the design flood: 1.5 m',
    );
    expect(thresholdWords('en', { 'asset.roof': 'fixed', 'asset.foamSystem': 'fixed' })).toEqual(['roof: fixed roof', 'foam system: fixed']);
    // a list after a colon, an empty one as none
    expect(thresholdWords('en', { uncovered: ['VG-D1'], tanksWithout: [] })).toEqual(['uncovered: VG-D1', 'tanks without: none']);
    expect(thresholdWords('zh', { tanksWithout: [] })).toEqual(['未配置的储罐：无']);
  });

  it("keeps people's own words (who did it, their reference) apart, not for the page to translate", () => {
    const value = { date: '2026-11-02', by: '安全科 王工', ref: 'XC-2026-02', passed: true };
    const parts = evidenceParts('en', { point: 'record:evacuation-drill', value, quality: 'good', ts: AT, unit: null }, ctx('en'));
    expect(parts.filter((p) => p.own).map((p) => p.text)).toEqual(['安全科 王工', 'XC-2026-02']);
    expect(parts.map((p) => p.text).join('')).toBe('evacuation drill of 2026-11-02 by 安全科 王工 (XC-2026-02): passed');
  });

  it('sets a good reading of the subject against its limits among the thresholds, and does not list them again', () => {
    const limits = { subject: 'T101', thresholds: { 'asset.levelHighHigh': 16.2, largestTank: 20000 } };
    const e = { point: 'T101.level', value: 16.3, quality: 'good' as const, ts: AT, unit: 'm' as const };
    expect(evidenceSentence('en', e, ctx('en'), limits)).toBe('Crude tank 1 level 16.3 m at 5 Dec 2026 14:02:05 GMT+8 is above high-high level 16.2 m');
    expect(evidenceSentence('zh', { ...e, value: 12 }, ctx('zh'), limits)).toBe('1号原油储罐 液位 12 米（2026-12-05 14:02:05 GMT+8），低于高高液位 16.2 米');
    expect(thresholdWords('en', limits.thresholds, [e], 'T101')).toEqual(['largest tank 20,000 m³']);
    // a reading that is not good, or of another asset, is not set against the subject's limits
    expect(evidenceSentence('en', { ...e, quality: 'bad' }, ctx('en'), limits)).not.toContain('high-high');
    expect(evidenceSentence('en', e, ctx('en'), { ...limits, subject: 'T102' })).not.toContain('high-high');
    expect(thresholdWords('en', limits.thresholds, [e], 'T102')).toEqual(['high-high level 16.2 m', 'largest tank 20,000 m³']);
  });

  it('does not repeat an attribute the evidence said already', () => {
    const e = { point: 'T101.t90', value: 25, quality: 'good' as const, ts: AT, unit: null };
    expect(thresholdWords('en', { 'asset.t90': 25 }, [e], 'T101')).toEqual([]);
    expect(thresholdWords('en', { 'asset.t90': 30 }, [e], 'T101')).toEqual(['response time t90 30 s']);
  });

  it("says which point a measured record's figure is about beside the figure, in the page's words, its id as it is", () => {
    const value = { date: '2026-12-05', by: 'ketwin (measured)', ref: 'onlineRate=T201.level clockSkewS=GD101.gas', passed: true, values: { onlineRate: 0.9583, clockSkewS: 0.4 } };
    const e = { point: 'record:data-quality-day', value, quality: 'good' as const, ts: AT, unit: null };
    expect(evidenceSentence('en', e, ctx('en'))).toBe(
      'data quality of the day of 2026-12-05 by ketwin (measured): passed, online rate 95.8% (T201.level), device clock skew 0.4 s (GD101.gas)',
    );
    const zh = evidenceParts('zh', e, ctx('zh'));
    expect(zh.map((p) => p.text).join('')).toBe('数据质量日统计 2026-12-05，ketwin (measured)：合格，在线率 95.8%（T201.level），设备时钟偏差 0.4 秒（GD101.gas）');
    expect(zh.filter((p) => p.own).map((p) => p.text)).toEqual(['ketwin (measured)', 'T201.level', 'GD101.gas']);
  });

  it("says a measured record's reference in the page's words in a list, any other as written", () => {
    expect(referenceText('en', 'onlineRate=T201.level clockSkewS=GD101.gas')).toBe('online rate: T201.level; device clock skew: GD101.gas');
    expect(referenceText('zh', 'onlineRate=T201.level')).toBe('在线率：T201.level');
    expect(referenceText('zh', 'XC-2026-02')).toBe('XC-2026-02');
  });
});
