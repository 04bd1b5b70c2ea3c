import type { Road } from './api.ts';
import { planDistance, type XY } from './incident-geo.ts';

/** A drive along the roads: the roads in the order they are driven, and its length. */
export interface RoadRoute {
  roads: Road[];
  /** metres along the roads, with the step from the start onto the nearest road */
  length: number;
}

interface Edge {
  to: string;
  length: number;
  road: Road;
}

/** edges are walked in steps of this length to tell whether they cross a zone, m */
const STEP = 2;
const key = (p: XY) => `${p.x.toFixed(2)},${p.y.toFixed(2)}`;

/** where segments a–b and c–d meet, as the parameter along a–b, or undefined */
function crossing(a: XY, b: XY, c: XY, d: XY): number | undefined {
  const den = (b.x - a.x) * (d.y - c.y) - (b.y - a.y) * (d.x - c.x);
  if (den === 0) return undefined;
  const t = ((c.x - a.x) * (d.y - c.y) - (c.y - a.y) * (d.x - c.x)) / den;
  const u = ((c.x - a.x) * (b.y - a.y) - (c.y - a.y) * (b.x - a.x)) / den;
  const eps = 1e-9;
  return t >= -eps && t <= 1 + eps && u >= -eps && u <= 1 + eps ? Math.min(1, Math.max(0, t)) : undefined;
}

/** parameter of the point of segment a–b nearest p */
function nearestOn(a: XY, b: XY, p: XY): number {
  const len2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
  return len2 === 0 ? 0 : Math.min(1, Math.max(0, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / len2));
}

const at = (a: XY, b: XY, t: number): XY => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });

/**
 * The shortest drive from `from` (a gate) to `to` (a point on a road), along the roads and
 * never through a zone; undefined when every way crosses one or the roads do not connect.
 */
export function roadRoute(roads: readonly Road[], from: XY, to: XY, inAnyZone: (p: XY) => boolean): RoadRoute | undefined {
  const segments = roads.flatMap((road) => road.points.slice(1).map((b, i) => ({ road, a: road.points[i]!, b, cuts: [0, 1] })));
  if (segments.length === 0) return undefined;
  // junctions, the nearest road point to the start and the end itself split the segments into edges
  segments.forEach((s, i) =>
    segments.forEach((o, j) => {
      if (i === j) return;
      const t = crossing(s.a, s.b, o.a, o.b);
      if (t !== undefined) s.cuts.push(t);
    }),
  );
  const attach = (p: XY) => {
    let best = { segment: segments[0]!, t: 0, distance: Infinity };
    for (const s of segments) {
      const t = nearestOn(s.a, s.b, p);
      const distance = planDistance(p, at(s.a, s.b, t));
      if (distance < best.distance) best = { segment: s, t, distance };
    }
    best.segment.cuts.push(best.t);
    return { node: key(at(best.segment.a, best.segment.b, best.t)), distance: best.distance };
  };
  const start = attach(from);
  const end = attach(to);

  const graph = new Map<string, Edge[]>();
  const link = (p: XY, q: XY, road: Road) => {
    const length = planDistance(p, q);
    if (length === 0) return;
    const steps = Math.max(1, Math.ceil(length / STEP));
    for (let s = 1; s < steps; s++) if (inAnyZone(at(p, q, s / steps))) return;
    graph.set(key(p), [...(graph.get(key(p)) ?? []), { to: key(q), length, road }]);
    graph.set(key(q), [...(graph.get(key(q)) ?? []), { to: key(p), length, road }]);
  };
  for (const s of segments) {
    const cuts = [...new Set(s.cuts)].sort((x, y) => x - y);
    for (let i = 1; i < cuts.length; i++) link(at(s.a, s.b, cuts[i - 1]!), at(s.a, s.b, cuts[i]!), s.road);
  }

  // Dijkstra; the graph of a site's roads is small, so a plain scan for the nearest open node is enough
  const dist = new Map<string, number>([[start.node, 0]]);
  const via = new Map<string, { from: string; road: Road }>();
  const done = new Set<string>();
  for (;;) {
    let node: string | undefined;
    for (const [n, d] of dist) if (!done.has(n) && (node === undefined || d < dist.get(node)!)) node = n;
    if (node === undefined) return undefined;
    if (node === end.node) break;
    done.add(node);
    for (const edge of graph.get(node) ?? []) {
      const d = dist.get(node)! + edge.length;
      if (d < (dist.get(edge.to) ?? Infinity)) {
        dist.set(edge.to, d);
        via.set(edge.to, { from: node, road: edge.road });
      }
    }
  }
  const driven: Road[] = [];
  for (let n = end.node; n !== start.node;) {
    const step = via.get(n)!;
    if (driven[0] !== step.road) driven.unshift(step.road);
    n = step.from;
  }
  return { roads: driven, length: dist.get(end.node)! + start.distance };
}
