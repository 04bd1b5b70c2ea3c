import type { Point, Site } from '../model/index.ts';

export interface SyntheticSiteOptions {
  id?: string;
  /** points served over OPC-UA (Double, moving every scan) */
  opcuaPoints?: number;
  /** points served over Modbus TCP (float32 holding registers, contiguous, moving every scan) */
  modbusPoints?: number;
  /** points per asset (default 100) */
  pointsPerAsset?: number;
}

/** A site of plain moving points for benchmarks and scale tests: N sites × M points from one simulator process. */
export function createSyntheticSite(options: SyntheticSiteOptions = {}): Site {
  const id = options.id ?? 'synthetic';
  const perAsset = options.pointsPerAsset ?? 100;
  const assets: Site['assets'] = [];
  const points: Point[] = [];
  const add = (count: number, source: string, prefix: string, describe: (i: number) => Partial<Point>) => {
    for (let i = 0; i < count; i++) {
      const asset = `${prefix}${Math.floor(i / perAsset)}`;
      if (i % perAsset === 0) assets.push({ id: asset, kind: 'shelter', name: { zh: asset, en: asset }, position: { x: 0, y: 0 }, attributes: {} });
      const name = `v${i % perAsset}`;
      points.push({ asset, name, id: `${asset}.${name}`, unit: '%', source, staleAfterMs: 10_000, ...describe(i) });
    }
  };
  const sources: Site['sources'] = [];
  if (options.opcuaPoints) {
    sources.push({
      id: 'plc',
      protocol: 'opcua',
      endpoint: 'opc.tcp://127.0.0.1:4840/ketwin',
      securityMode: 'None',
      trustOnFirstUse: false,
      publishingIntervalMs: 100,
      maxItemsPerSubscription: 1000,
      staleAfterMs: 10_000,
    });
    add(options.opcuaPoints, 'plc', 'O', (i) => ({ node: `ns=1;s=O${Math.floor(i / perAsset)}.v${i % perAsset}` }));
  }
  if (options.modbusPoints) {
    sources.push({ id: 'rtu', protocol: 'modbus', transport: 'tcp', endpoint: 'tcp://127.0.0.1:502', unitId: 1, pollIntervalMs: 1000, timeoutMs: 2000, staleAfterMs: 10_000 });
    add(options.modbusPoints, 'rtu', 'M', (i) => ({ register: { table: 'holding', address: i * 2, type: 'float32', order: 'ABCD', scale: 1, offset: 0 } }));
  }
  return { id, name: { zh: id, en: id }, location: { lat: 0, lon: 0 }, plan: { width: 100, height: 100 }, standards: ['none'], sources, assets, points } as Site;
}
