import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSite, parseSite, SiteDefinitionError } from './index.ts';

const demoFile = 'sites/zhoushan-demo.yaml';
const demoText = readFileSync(demoFile, 'utf8');

/** Parses a variant of the demo file and returns the error it must raise. */
function rejection(text: string): SiteDefinitionError {
  try {
    parseSite(text, 'broken.yaml');
  } catch (error) {
    if (error instanceof SiteDefinitionError) return error;
    throw error;
  }
  throw new Error('the site definition was accepted');
}

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture has no ${needle}`);
  return text.slice(0, index).split('\n').length;
}

describe('site definition loader', () => {
  it('loads the demo depot with every point resolved', async () => {
    const site = await loadSite(demoFile);
    expect(site.id).toBe('zhoushan-demo');
    expect(site.assets.filter((a) => a.kind === 'tank')).toHaveLength(6);
    const level = site.points.find((p) => p.id === 'T101.level');
    expect(level).toMatchObject({ source: 'plc-tankfarm', node: 'ns=1;s=T101.level', staleAfterMs: 10_000 });
    const pumpRunning = site.points.find((p) => p.id === 'FP1.running');
    expect(pumpRunning?.register).toMatchObject({ table: 'coil', address: 0, type: 'bool', scale: 1, offset: 0 });
  });

  it('rejects an unknown asset kind, naming the kinds it knows', () => {
    const text = demoText.replace('kind: siren', 'kind: sirene');
    const error = rejection(text);
    expect(error.code).toBe('SITE_SCHEMA');
    expect(error.file).toBe('broken.yaml');
    const issue = error.issues.find((i) => i.message.includes('unknown asset kind'));
    expect(issue?.message).toContain('"sirene"');
    expect(issue?.message).toContain('weather-station');
    expect(issue?.path).toMatch(/^assets\[\d+\]\.kind$/);
    expect(issue?.line).toBe(lineOf(text, 'kind: sirene'));
    expect(error.message).toContain('broken.yaml');
  });

  it('rejects a duplicate asset id and points at the second one', () => {
    const text = demoText.replace('id: T102\n', 'id: T101\n');
    const error = rejection(text);
    expect(error.issues).toContainEqual(expect.objectContaining({ path: 'assets[4].id', message: expect.stringContaining('duplicate id "T101"') }));
    expect(error.issues[0]?.line).toBe(lineOf(text, 'id: T101\n    kind: tank\n    name: { zh: 2号'));
  });

  it('rejects a point on an asset that does not exist', () => {
    const text = demoText.replace('{ asset: GD301, name: gas', '{ asset: GD999, name: gas');
    const error = rejection(text);
    const issue = error.issues.find((i) => i.path.endsWith('.asset'));
    expect(issue?.message).toBe('no asset "GD999" on this site');
    expect(issue?.path).toMatch(/^points\[\d+\]\.asset$/);
    expect(issue?.line).toBe(lineOf(text, 'GD999'));
  });

  it('rejects a unit it does not know, listing the known ones', () => {
    const text = demoText.replace('{ asset: T101, name: level, unit: m,', '{ asset: T101, name: level, unit: metres,');
    const error = rejection(text);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'points[0].unit', line: lineOf(text, 'unit: metres') });
    expect(error.issues[0]?.message).toMatch(/unknown unit "metres"; expected one of .*%LEL/);
  });

  it('rejects a source without an endpoint', () => {
    const text = demoText.replace('    endpoint: tcp://127.0.0.1:15020\n', '');
    const error = rejection(text);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('sources[1].endpoint');
    expect(error.issues[0]?.line).toBe(lineOf(text, '- id: rtu-fire'));
  });

  it('rejects malformed YAML with the line it breaks on', () => {
    const text = demoText.replace('location: { lat: 30.0531, lon: 122.0312 }', 'location: { lat: 30.0531, lon: 122.0312');
    const error = rejection(text);
    expect(error.code).toBe('SITE_YAML');
    expect(error.issues[0]?.line).toBeGreaterThanOrEqual(lineOf(text, 'location:'));
    expect(error.message).toMatch(/broken\.yaml: invalid site definition\n.*\(line \d+\)/);
  });

  it('rejects a point on a Modbus source without a register', () => {
    const text = demoText.replace(', register: { table: coil, address: 0, type: bool }', '');
    const error = rejection(text);
    expect(error.issues[0]?.message).toBe('point on Modbus source "rtu-fire" needs a register');
  });

  it('rejects a tank whose dike is not on the site and set-points that do not rise', () => {
    const text = demoText
      .replace('levelCriticalHigh: 20.4, dike: D1,', 'levelCriticalHigh: 20.4, dike: D9,')
      .replace('levelHighHigh: 16.2, levelCriticalHigh: 16.9, dike: D3', 'levelHighHigh: 17.2, levelCriticalHigh: 16.9, dike: D3');
    const messages = rejection(text).issues.map((i) => `${i.path}: ${i.message}`);
    expect(messages).toContain('assets[3].attributes.dike: no dike "D9" on this site');
    expect(messages.some((m) => m.includes('levelHigh < levelHighHigh < levelCriticalHigh'))).toBe(true);
  });

  it('reports a file it cannot read', async () => {
    await expect(loadSite('sites/no-such-site.yaml')).rejects.toMatchObject({ code: 'SITE_READ', file: 'sites/no-such-site.yaml' });
  });
});
