// Synthetic depots for the engine bench: the demo depot's assets, points and instruments copied
// `copies` times side by side (ids suffixed _<n>), so every point is read by the demo standard.
import type { Site } from '../model/index.ts';

/** a quiet depot's readings by point name: live, in range, nothing burning or open (the figures are for normal operation) */
export const QUIET_READINGS: Record<string, number | boolean> = {
  level: 10,
  temperature: 30,
  shell_temperature: 30,
  water_level: 0.05,
  gas: 2,
  pressure: 0.25,
  concentrate_level: 90,
  fuel_level: 90,
  wind_speed: 3,
  wind_direction: 90,
  air_temperature: 20,
  ready: true,
  mains_available: true,
};

/**
 * A depot of about `points` points: the demo copied `copies` times (every copy read by the standard),
 * topped up with plain readings on its tanks (extra temperatures along the shell, as a large depot
 * has), which no clause reads but the twin still keeps live and watches for staleness.
 */
export function syntheticSite(demo: Site, id: string, copies: number, points: number): Site {
  const site = replicateSite(demo, id, copies);
  const tanks = site.assets.filter((a) => a.kind === 'tank');
  const source = site.points[0]!.source;
  for (let i = 0; site.points.length < points; i++) {
    const tank = tanks[i % tanks.length]!;
    const name = `shell_t${Math.floor(i / tanks.length)}`;
    site.points.push({ asset: tank.id, name, id: `${tank.id}.${name}`, unit: 'degC', source, node: `ns=1;s=${tank.id}.${name}`, staleAfterMs: 10_000 });
  }
  return site;
}

export function replicateSite(demo: Site, id: string, copies: number): Site {
  const suffix = (s: string, n: number) => (n === 0 ? s : `${s}_${n}`);
  const assets: Site['assets'] = [];
  const points: Site['points'] = [];
  const instruments: Site['instruments'] = [];
  for (let n = 0; n < copies; n++) {
    const dx = n * demo.plan.width;
    for (const a of demo.assets) {
      const position = { x: a.position.x + dx, y: a.position.y };
      if (a.kind === 'tank') assets.push({ ...a, id: suffix(a.id, n), position, attributes: { ...a.attributes, dike: suffix(a.attributes.dike, n) } });
      else if (a.kind === 'dike')
        assets.push({ ...a, id: suffix(a.id, n), position, attributes: { ...a.attributes, outline: a.attributes.outline.map((p) => ({ x: p.x + dx, y: p.y })) } });
      else if (a.kind === 'gas-detector')
        assets.push({ ...a, id: suffix(a.id, n), position, attributes: { ...a.attributes, ...(a.attributes.watches ? { watches: suffix(a.attributes.watches, n) } : {}) } });
      else assets.push({ ...a, id: suffix(a.id, n), position });
    }
    for (const p of demo.points) points.push({ ...p, asset: suffix(p.asset, n), id: `${suffix(p.asset, n)}.${p.name}` });
    for (const i of demo.instruments) instruments.push({ ...i, id: suffix(i.id, n), asset: suffix(i.asset, n) });
  }
  return { ...demo, id, plan: { ...demo.plan, width: demo.plan.width * copies }, assets, points, instruments, releaseSources: [] };
}
