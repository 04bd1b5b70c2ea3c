import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../../model/index.ts';
import { startSecuredServer, type SecuredServer } from '../testing/secured-app.ts';

const root = new URL('../../../', import.meta.url).pathname;
let server: SecuredServer;

interface RegionMap {
  bbox: [number, number, number, number] | null;
  land: [number, number][][][];
  footprints: Record<string, { width: number; height: number }>;
  credits: Record<string, string>;
}

beforeAll(async () => {
  const sites = await Promise.all(['zhoushan-demo', 'jintang-crude', 'daishan-fuel'].map((id) => loadSite(join(root, 'sites', `${id}.yaml`))));
  server = await startSecuredServer(sites);
});
afterAll(() => server?.close());

const map = async (who: string) => (await (await server.as(who)).fetch('/api/map')).json() as Promise<RegionMap>;

describe('GET /api/map', () => {
  it('gives the land around the sites the user may see, cut to their box, with the credits of the data', async () => {
    const office = await map('auditor');
    const [w, s, e, n] = office.bbox!;
    // Jintang (121.86 E) to Daishan (30.24 N), widened
    expect(w).toBeLessThan(121.8625);
    expect(n).toBeGreaterThan(30.2412);
    expect(office.land.length).toBeGreaterThan(3);
    for (const [lon, lat] of office.land.flat(2)) {
      expect(lon).toBeGreaterThanOrEqual(w);
      expect(lon).toBeLessThanOrEqual(e);
      expect(lat).toBeGreaterThanOrEqual(s);
      expect(lat).toBeLessThanOrEqual(n);
    }
    expect(office.credits).toEqual({ data: 'Natural Earth', edition: '4.1.0', scale: '1:10m', licence: 'public domain', package: 'world-atlas', version: '2.0.2' });
    expect(Object.keys(office.footprints).sort()).toEqual(['daishan-fuel', 'jintang-crude', 'zhoushan-demo']);
    expect(office.footprints['zhoushan-demo']!.width).toBeGreaterThan(100);
    // a manager sees the region of the own site only: a smaller box
    const own = await map('manager');
    expect(own.bbox![2] - own.bbox![0]).toBeLessThan(e - w);
    // asked again: the same cut
    expect(await map('auditor')).toEqual(office);
  });
  it('draws the region of the sites asked for, of those the user may see', async () => {
    const auditor = await server.as('auditor');
    const one = (await (await auditor.fetch('/api/map?sites=jintang-crude')).json()) as RegionMap;
    expect(Object.keys(one.footprints)).toEqual(['jintang-crude']);
    expect(one.bbox![0]).toBeCloseTo(121.8625 - 0.1, 4);
    expect((await auditor.fetch('/api/map?sites=nowhere')).status).toBe(404);
    expect((await auditor.fetch('/api/map?sites=Bad!')).status).toBe(400);
    expect((await (await server.as('manager')).fetch('/api/map?sites=jintang-crude')).status).toBe(403);
  });
  it('is an empty map for a user who sees no site here', async () => {
    expect(await map('elsewhere')).toMatchObject({ bbox: null, land: [], footprints: {} });
  });
});
