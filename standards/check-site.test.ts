import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteDefinitionError } from '../model/index.ts';
import { StandardError, checkSite, formatCheckReport, loadStandards, type Standard } from './index.ts';

const DEMO = new URL('../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const AT = Date.parse('2026-11-23T00:00:00Z');
let standards: Standard[];
let dir: string;
beforeAll(async () => {
  standards = await loadStandards(new URL('.', import.meta.url).pathname);
  dir = await mkdtemp(join(tmpdir(), 'ketwin-check-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('checkSite: the design and evidence clauses of a site file, offline', () => {
  it('reports the demo depot under the newest version, with its three deliberate failures explained', async () => {
    const report = await checkSite(DEMO, standards, { now: AT });
    expect(report.standard).toBe('oil-depot-above-ground@1.1.0');
    expect(report.results.every((r) => r.check !== ('live' as string))).toBe(true);
    const failing = report.results.filter((r) => r.verdict === 'fail').map((r) => `${r.clause}/${r.subject}`);
    expect(failing).toEqual(['GB50351-3.1.7-STEPS/D3', 'GBT50493-4.2-DISTANCE/zhoushan-demo', 'ORDER40-21-ONSITE-DRILL/zhoushan-demo']);
    expect(report.counts.fail).toBe(3);
    // the day's online rate and the lightning warning review are measured by the running twin: offline they are not known yet, never passed
    expect(report.results.filter((r) => r.verdict === 'unknown').map((r) => r.clause)).toEqual(['MEM-DQ-ONLINE-RATE', 'MEM-DQ-CLOCK', 'MEM2022-LIGHTNING-WARNING-QUALITY']);
    expect(report.counts.unknown).toBe(3);
    // said in Chinese on the Chinese side: the record kind's code stays in the English reason only
    expect(report.results.find((r) => r.clause === 'MEM-DQ-ONLINE-RATE')?.reason).toEqual({
      zh: '尚未测得：该记录由运行中的孪生体实测',
      en: 'not measured yet: data-quality-day is measured by the running twin',
    });
    const text = formatCheckReport(report);
    expect(text).toContain('standard:   oil-depot-above-ground@1.1.0');
    expect(text).toContain('FAIL  GB50351-3.1.7-STEPS [design] D3: Dike crossing steps / 防火堤人行踏步');
    expect(text).toContain('uncovered: ["VG-D1"]');
    expect(text).toContain('"validUntil":"2026-09-12"');
    expect(text).toMatch(/\d+ pass, 3 fail, 3 unknown/);
    // every clause with its source and confidence, the live ones too
    expect(text).toContain('FAIL  GB50351-3.1.7-STEPS [design] D3: Dike crossing steps / 防火堤人行踏步 — GB 50351-2014 3.1.7 (confirmed)');
    expect(text).toContain(
      'live  GB18218-2018-IDENTIFICATION [live] dike: Major hazard identification, per unit / 重大危险源辨识（按单元） — GB 18218-2018 4.1–4.2, Tables 1–2 (per unit) (unconfirmed)',
    );
    const listed = new Set([...report.results.map((r) => r.clause), ...report.live.map((l) => l.clause)]);
    expect(listed.size).toBe(standards.find((s) => s.key === report.standard)!.clauses.length);
  });

  it('warns of each point a live clause needs that the site does not map: those clauses are not monitored, not "not applicable"', async () => {
    const report = await checkSite(DEMO, standards, { now: AT });
    expect(report.unmonitored).toEqual([{ clause: 'GB50016-4.2.5-DRAIN-VALVE', subject: 'D1', point: 'D1.drain_valve_open' }]);
    expect(formatCheckReport(report)).toContain(
      'WARN  not monitored: D1.drain_valve_open is not mapped; GB50016-4.2.5-DRAIN-VALVE on D1 stays unknown and counts against coverage',
    );
    // mapped, the warning goes
    const text = (await readFile(DEMO, 'utf8')).replace(
      '  - { asset: D2, name: drain_valve_open,',
      '  - { asset: D1, name: drain_valve_open, unit: bool, source: plc-tankfarm, node: "ns=1;s=D1.drain_valve_open" }\n  - { asset: D2, name: drain_valve_open,',
    );
    const file = join(dir, 'mapped.yaml');
    await writeFile(file, text);
    expect((await checkSite(file, standards, { now: AT })).unmonitored).toEqual([]);
  });

  it('lists the alarm thresholds that are missing or contradict the standard (issue 26 item 4)', async () => {
    const demo = await readFile(DEMO, 'utf8');
    const text = demo
      // GD101 without a second alarm, GD102's first alarm looser than GB/T 50493's 25 %LEL
      .replace('watches: T101, alarm1: 20, alarm2: 40,', 'watches: T101, alarm1: 20,')
      .replace('watches: T102, alarm1: 20, alarm2: 40,', 'watches: T102, alarm1: 30, alarm2: 40,')
      // the first tank with a temperature threshold loses it
      .replace('maxFillRate: 1500, maxOperatingTemperature: 45,', 'maxFillRate: 1500,');
    const file = join(dir, 'thresholds.yaml');
    await writeFile(file, text);
    const report = await checkSite(file, standards, { now: AT });
    const failing = report.results.filter((r) => r.verdict === 'fail').map((r) => `${r.clause}/${r.subject}`);
    expect(failing).toEqual(expect.arrayContaining(['MEM-DQ-THRESHOLD-GAS/GD101', 'GBT50493-5.5.2-SETPOINTS/GD102', 'MEM-DQ-THRESHOLD-TANK/T201']));
    const lines = formatCheckReport(report);
    expect(lines).toContain('FAIL  MEM-DQ-THRESHOLD-GAS [design] GD101: Gas detector alarm thresholds set / 可燃气体探测器报警阈值齐全');
    expect(lines).toContain('FAIL  MEM-DQ-THRESHOLD-TANK [design] T201: Tank alarm thresholds set / 储罐报警阈值齐全');
    expect(lines).toContain('FAIL  GBT50493-5.5.2-SETPOINTS [design] GD102: Combustible gas alarm set-points / 可燃气体报警设定值');
    // the demo itself carries every threshold
    expect((await checkSite(DEMO, standards, { now: AT })).results.filter((r) => r.clause.startsWith('MEM-DQ-THRESHOLD') && r.verdict !== 'pass')).toEqual([]);
  });

  it('judges evidence at the given time: a year on, the yearly records have run out too', async () => {
    const report = await checkSite(DEMO, standards, { now: Date.parse('2027-10-01T00:00:00Z') });
    const failing = report.results.filter((r) => r.verdict === 'fail').map((r) => r.clause);
    expect(failing).toEqual(expect.arrayContaining(['ORDER40-21-SPECIAL-DRILL', 'ZJ-SIREN-TEST', 'RF-EVACUATION-DRILL', 'ORDER40-11-ASSESSMENT']));
  });

  it('refuses a broken site file with SiteDefinitionError (the CLI exits 2 on it)', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, (await readFile(DEMO, 'utf8')).replace('kind: siren', 'kind: sirene'));
    const error = await checkSite(file, standards).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SiteDefinitionError);
    expect((error as Error).message).toContain('sirene');
  });

  it('refuses a site that names no loaded standard', async () => {
    const file = join(dir, 'other.yaml');
    await writeFile(file, (await readFile(DEMO, 'utf8')).replace('standards: [oil-depot-above-ground]', 'standards: [pipeline-guideline]'));
    await expect(checkSite(file, standards)).rejects.toBeInstanceOf(StandardError);
  });
});
