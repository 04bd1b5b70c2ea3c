import { describe, expect, it } from 'vitest';
import { sortDue, sortDueBy, type DueStatus } from './due-order.ts';

const item = (site: [zh: string, en: string], status: DueStatus, dueAt: number | undefined, clause = 'C') => ({
  site: site[1].toLowerCase(),
  siteName: { zh: site[0], en: site[1] },
  clause,
  subject: site[1].toLowerCase(),
  title: { zh: clause, en: clause },
  status,
  ...(dueAt === undefined ? {} : { dueAt, daysLeft: dueAt }),
});
const ZHOUSHAN = ['舟山', 'Zhoushan'] as [string, string];
const BAIQUAN = ['白泉', 'Baiquan'] as [string, string];
const DAISHAN = ['岱山', 'Daishan'] as [string, string];

describe('the due list’s order', () => {
  it('on the server: the most urgent status first, then the earliest due, never done first', () => {
    const listed = sortDue([item(ZHOUSHAN, 'ok', 40), item(BAIQUAN, 'due-soon', 10), item(DAISHAN, 'overdue', -5), item(ZHOUSHAN, 'overdue', undefined, 'D')]);
    expect(listed.map((i) => [i.site, i.status, i.dueAt])).toEqual([
      ['zhoushan', 'overdue', undefined],
      ['daishan', 'overdue', -5],
      ['baiquan', 'due-soon', 10],
      ['zhoushan', 'ok', 40],
    ]);
  });

  it('by a column the user chose, either way, equal rows in the server’s order, names as the language shown reads them', () => {
    const listed = sortDue([item(ZHOUSHAN, 'overdue', undefined), item(DAISHAN, 'overdue', -5), item(BAIQUAN, 'due-soon', 10), item(ZHOUSHAN, 'ok', 40, 'D')]);
    expect(sortDueBy(listed, { key: 'daysLeft', descending: true }, 'en').map((i) => i.daysLeft)).toEqual([40, 10, -5, undefined]);
    // 白泉 bái, 岱山 dài, 舟山 zhōu in pinyin order; the two Zhoushan rows as the server had them
    expect(sortDueBy(listed, { key: 'site', descending: false }, 'zh').map((i) => [i.siteName.zh, i.clause])).toEqual([
      ['白泉', 'C'],
      ['岱山', 'C'],
      ['舟山', 'C'],
      ['舟山', 'D'],
    ]);
    expect(sortDueBy(listed, { key: 'status', descending: true }, 'en').map((i) => i.status)).toEqual(['ok', 'due-soon', 'overdue', 'overdue']);
    // a new list: the server's order is left as it was
    expect(listed.map((i) => i.site)).toEqual(['zhoushan', 'daishan', 'baiquan', 'zhoushan']);
  });
});
