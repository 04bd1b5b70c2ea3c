import { isSparkplugMapping, type Point } from '../../model/index.ts';
import type { Reading } from './reading.ts';
import { metricPointValue, sparkplugTime } from './sparkplug-metric.ts';
import { decodeSparkplugPayload, type SparkplugMetric, type SparkplugPayload } from './sparkplug-payload.ts';
import { parseSparkplugTopic, sparkplugFilters, type SparkplugTopic } from './sparkplug-topic.ts';

/** What one Sparkplug message said: readings of mapped points, and, when the host lost track of the node, why it wants a rebirth. */
export interface SparkplugOutcome {
  readings: Reading[];
  /** the node to ask for its births again, and why */
  rebirth?: { node: string; reason: string };
}

/**
 * The host-application side of Sparkplug B for one group, without I/O: births define each node's and
 * device's metrics (names, aliases, types), data updates them, deaths make their points bad, and the
 * sequence number of every message from a node is checked. Sparkplug B 3.0 §6.4 (topics and payloads),
 * §7 (the state of nodes and devices). Messages for nodes or devices that no point maps are ignored.
 */
export interface SparkplugHost {
  /** the topic filters to subscribe to (none when the source has no Sparkplug points) */
  readonly filters: string[];
  /** the edge nodes the points name */
  readonly nodes: string[];
  /** undefined when the topic is not a Sparkplug message of this group */
  read(topic: string, payload: Buffer, arrivedAt: number): SparkplugOutcome | undefined;
}

interface MetricDefinition {
  type: string;
}

/** What the host knows of a node or of one of its devices (key '' for the node itself). */
interface Birth {
  metrics: Map<string, MetricDefinition>;
  aliases: Map<number, string>;
}

interface NodeState {
  born: boolean;
  /** the birth-death sequence of the current NBIRTH: an NDEATH with another is an old session's will */
  bdSeq: number | undefined;
  /** the last sequence number seen (0–255) */
  seq: number | undefined;
  births: Map<string, Birth>;
}

const NODE = '';
const BDSEQ = 'bdSeq';

export function createSparkplugHost(group: string | undefined, points: readonly Point[]): SparkplugHost {
  /** node → device ('' for the node) → metric → points */
  const mapped = new Map<string, Map<string, Map<string, Point[]>>>();
  for (const point of points) {
    if (!point.mqtt || !isSparkplugMapping(point.mqtt)) continue;
    const { node, device = NODE, metric } = point.mqtt;
    const devices = mapped.get(node) ?? mapped.set(node, new Map()).get(node)!;
    const metrics = devices.get(device) ?? devices.set(device, new Map()).get(device)!;
    metrics.set(metric, [...(metrics.get(metric) ?? []), point]);
  }
  const states = new Map<string, NodeState>([...mapped.keys()].map((node) => [node, { born: false, bdSeq: undefined, seq: undefined, births: new Map() }]));

  const pointsOf = (node: string, device?: string): Point[] => {
    const devices = mapped.get(node);
    if (!devices) return [];
    const chosen = device === undefined ? [...devices.values()] : [devices.get(device) ?? new Map<string, Point[]>()];
    return chosen.flatMap((metrics) => [...metrics.values()].flat());
  };
  const allBad = (ts: number, reason: string, node: string, device?: string): Reading[] => pointsOf(node, device).map((point) => ({ point, ts, bad: reason }));
  const name = (t: SparkplugTopic) => (t.device === undefined ? `node ${t.node}` : `device ${t.node}/${t.device}`);

  function read(topic: string, payload: Buffer, arrivedAt: number): SparkplugOutcome | undefined {
    const t = group === undefined ? undefined : parseSparkplugTopic(topic);
    if (!t || t.group !== group) return undefined;
    const state = states.get(t.node);
    if (!state) return { readings: [] };
    let decoded: SparkplugPayload;
    try {
      decoded = decodeSparkplugPayload(payload);
    } catch (error) {
      const reason = `malformed Sparkplug B payload in ${t.type} of ${name(t)}: ${(error as Error).message}`;
      // a death we cannot read is still a death
      if (t.type === 'NDEATH') return { readings: nodeDied(t, state, arrivedAt, 'node offline (NDEATH)') };
      const readings = allBad(arrivedAt, reason, t.node, t.type.startsWith('N') ? NODE : t.device);
      return t.type === 'DDEATH' ? { readings } : { readings, rebirth: { node: t.node, reason } };
    }
    const ts = sparkplugTime(decoded.timestamp) ?? arrivedAt;
    const seq = sparkplugTime(decoded.seq);
    switch (t.type) {
      case 'NBIRTH': {
        state.born = true;
        state.seq = seq;
        state.bdSeq = bdSeqOf(decoded);
        state.births = new Map([[NODE, learn(decoded.metrics)]]);
        return { readings: values(t, state.births.get(NODE)!, decoded.metrics, ts, true) };
      }
      case 'NDEATH': {
        const bdSeq = bdSeqOf(decoded);
        // the will of a session the node has since replaced by a new birth
        if (state.born && bdSeq !== undefined && state.bdSeq !== undefined && bdSeq !== state.bdSeq) return { readings: [] };
        return { readings: nodeDied(t, state, ts, 'node offline (NDEATH)') };
      }
      default:
        break;
    }
    // DBIRTH, NDATA, DDATA, DDEATH: only on top of a birth the host has seen, and in sequence
    if (!state.born) {
      const reason = `${t.type} from node ${t.node} before its NBIRTH`;
      return {
        readings: t.type === 'DDEATH' ? [] : allBad(arrivedAt, `no birth certificate from node ${t.node} (rebirth requested)`, t.node, t.device ?? NODE),
        rebirth: { node: t.node, reason },
      };
    }
    const gap = checkSequence(state, seq, t);
    const device = t.device ?? NODE;
    let outcome: SparkplugOutcome;
    if (t.type === 'DBIRTH') {
      const birth = learn(decoded.metrics);
      state.births.set(device, birth);
      outcome = { readings: values(t, birth, decoded.metrics, ts, true) };
    } else if (t.type === 'DDEATH') {
      state.births.delete(device);
      outcome = { readings: allBad(ts, 'device offline (DDEATH)', t.node, device) };
    } else {
      const birth = state.births.get(device);
      if (!birth) {
        outcome = {
          readings: allBad(arrivedAt, `no birth certificate from ${name(t)} (rebirth requested)`, t.node, device),
          rebirth: { node: t.node, reason: `${t.type} from ${name(t)} before its DBIRTH` },
        };
      } else outcome = dataValues(t, birth, decoded.metrics, ts);
    }
    return gap && !outcome.rebirth ? { ...outcome, rebirth: { node: t.node, reason: gap } } : outcome;
  }

  function nodeDied(t: SparkplugTopic, state: NodeState, ts: number, reason: string): Reading[] {
    state.born = false;
    state.seq = undefined;
    state.births = new Map();
    return allBad(ts, reason, t.node);
  }

  /** the birth's values; a mapped metric the birth does not define is bad */
  function values(t: SparkplugTopic, birth: Birth, metrics: SparkplugMetric[], ts: number, isBirth: boolean): Reading[] {
    const wanted = mapped.get(t.node)?.get(t.device ?? NODE);
    if (!wanted) return [];
    const readings: Reading[] = [];
    const given = new Set<string>();
    for (const metric of metrics) {
      const metricName = metric.name ?? undefined;
      if (metricName === undefined) continue;
      given.add(metricName);
      for (const point of wanted.get(metricName) ?? []) readings.push(reading(point, birth, metricName, metric, ts));
    }
    if (isBirth)
      for (const [metric, points] of wanted)
        if (!given.has(metric)) for (const point of points) readings.push({ point, ts, bad: `unknown metric "${metric}": not in the birth certificate of ${name(t)}` });
    return readings;
  }

  function dataValues(t: SparkplugTopic, birth: Birth, metrics: SparkplugMetric[], ts: number): SparkplugOutcome {
    const wanted = mapped.get(t.node)?.get(t.device ?? NODE);
    const readings: Reading[] = [];
    let unknown: string | undefined;
    for (const metric of metrics) {
      const alias = sparkplugTime(metric.alias);
      const metricName = metric.name ?? (alias !== undefined ? birth.aliases.get(alias) : undefined);
      if (metricName === undefined || !birth.metrics.has(metricName)) {
        const label = metricName !== undefined ? `"${metricName}"` : `alias ${alias ?? '(none)'}`;
        unknown ??= `unknown metric ${label} in ${t.type} of ${name(t)}`;
        for (const point of (metricName !== undefined && wanted?.get(metricName)) || [])
          readings.push({ point, ts: sparkplugTime(metric.timestamp) ?? ts, bad: `unknown metric ${label}: not in the birth certificate of ${name(t)} (rebirth requested)` });
        continue;
      }
      for (const point of wanted?.get(metricName) ?? []) readings.push(reading(point, birth, metricName, metric, ts));
    }
    return unknown ? { readings, rebirth: { node: t.node, reason: unknown } } : { readings };
  }

  function reading(point: Point, birth: Birth, metricName: string, metric: SparkplugMetric, ts: number): Reading {
    const at = sparkplugTime(metric.timestamp) ?? ts;
    const type = metric.type ?? birth.metrics.get(metricName)?.type ?? 'Unknown';
    const typed = metricPointValue(point, type, metric.value, metric.isNull === true);
    return 'bad' in typed ? { point, ts: at, bad: `${typed.bad} (metric "${metricName}")` } : { point, ts: at, value: typed.value };
  }

  return { filters: group === undefined || mapped.size === 0 ? [] : sparkplugFilters(group), nodes: [...mapped.keys()], read };
}

function learn(metrics: SparkplugMetric[]): Birth {
  const birth: Birth = { metrics: new Map(), aliases: new Map() };
  for (const metric of metrics) {
    if (!metric.name) continue;
    birth.metrics.set(metric.name, { type: metric.type ?? 'Unknown' });
    const alias = sparkplugTime(metric.alias);
    if (alias !== undefined) birth.aliases.set(alias, metric.name);
  }
  return birth;
}

function bdSeqOf(payload: SparkplugPayload): number | undefined {
  const metric = payload.metrics.find((m) => m.name === BDSEQ);
  return metric ? sparkplugTime(metric.value) : undefined;
}

/** Every message from a node after its NBIRTH carries the next sequence number, 0–255 and round again; a skip means messages were lost. */
function checkSequence(state: NodeState, seq: number | undefined, t: SparkplugTopic): string | undefined {
  const expected = state.seq === undefined ? undefined : (state.seq + 1) % 256;
  state.seq = seq;
  if (expected === undefined || seq === undefined || seq === expected) return undefined;
  return `sequence gap from node ${t.node}: ${t.type} with seq ${seq} where ${expected} was expected`;
}
