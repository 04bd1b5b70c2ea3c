import { connect, type MqttClient } from 'mqtt';
import sparkplug from 'sparkplug-payload';
import type { UMetric } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { isSparkplugMapping, type MqttJsonMapping, type Point, type SampleValue, type Site } from '../model/index.ts';
import { SimError } from './sim-error.ts';

/**
 * The MQTT devices of a simulated site, made from its site file: every point of its MQTT sources is
 * published the way the site file says it is read — a JSON field of a topic (with its time and unit
 * fields), or a metric of a Sparkplug B edge node or device, which sends its NBIRTH/DBIRTHs (with its
 * NDEATH as last will), numbers its messages and answers rebirth requests. For the demo, the scenarios
 * and the benchmarks: what the collector reads is what a real device would send.
 */
export interface MqttDevices {
  /** publishes these readings (by point id): each JSON topic once with its fields, each Sparkplug device one DATA message */
  publish(values: Record<string, SampleValue>): Promise<void>;
  /** the edge node's connection cut without a DISCONNECT: the broker publishes its will (NDEATH) */
  kill(node: string): void;
  /** the node connects again and is born anew (a new bdSeq) */
  revive(node: string): Promise<void>;
  stop(): Promise<void>;
}

const codec = sparkplug.get('spBv1.0')!;
const REBIRTH = 'Node Control/Rebirth';

interface EdgeNode {
  group: string;
  node: string;
  brokerUrl: string;
  /** '' for the node's own metrics */
  devices: Map<string, Map<string, Point>>;
  client?: MqttClient;
  seq: number;
  bdSeq: number;
}

/** the Sparkplug datatype a point's values go out as */
function metricType(point: Point, value: SampleValue | undefined): UMetric['type'] {
  if (point.unit === 'bool') return 'Boolean';
  if (point.unit === 'state' && typeof value === 'string') return 'String';
  return 'Double';
}

/** sets a field of the site file's JSON grammar (`a.b[0].c`, `$` the whole payload) in an object */
function setField(target: Record<string, unknown>, path: string, value: unknown): unknown {
  if (path === '$') return value;
  const steps: (string | number)[] = [];
  for (const part of path.replace(/^\$\./, '').split('.')) {
    const name = /^[^[]+/.exec(part)![0];
    steps.push(name);
    for (const index of part.slice(name.length).matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  let at: Record<string | number, unknown> = target;
  steps.forEach((step, i) => {
    if (i === steps.length - 1) at[step] = value;
    else at = (at[step] ??= typeof steps[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
  });
  return target;
}

export async function startMqttDevices(site: Site, options: { now?: () => number; keepaliveS?: number } = {}): Promise<MqttDevices> {
  const now = options.now ?? (() => Date.now());
  const brokers = new Map(site.sources.flatMap((s) => (s.protocol === 'mqtt' ? [[s.id, s] as const] : [])));
  const jsonTopics = new Map<string, { brokerUrl: string; points: { point: Point; mapping: MqttJsonMapping }[] }>();
  const nodes = new Map<string, EdgeNode>();
  for (const point of site.points) {
    const source = brokers.get(point.source);
    if (!source || !point.mqtt) continue;
    if (isSparkplugMapping(point.mqtt)) {
      const key = `${source.sparkplugGroup}/${point.mqtt.node}`;
      const node =
        nodes.get(key) ?? nodes.set(key, { group: source.sparkplugGroup!, node: point.mqtt.node, brokerUrl: source.endpoint, devices: new Map(), seq: 0, bdSeq: 0 }).get(key)!;
      const device = point.mqtt.device ?? '';
      (node.devices.get(device) ?? node.devices.set(device, new Map()).get(device)!).set(point.mqtt.metric, point);
    } else {
      if (/[+#]/.test(point.mqtt.topic)) throw new SimError('SIM_POINT', `point ${point.id}: topic ${point.mqtt.topic} is a filter; a simulated device publishes to one topic`);
      const entry = jsonTopics.get(point.mqtt.topic) ?? jsonTopics.set(point.mqtt.topic, { brokerUrl: source.endpoint, points: [] }).get(point.mqtt.topic)!;
      entry.points.push({ point, mapping: point.mqtt });
    }
  }
  const last = new Map<string, SampleValue>();
  const jsonClients = new Map<string, MqttClient>();
  for (const url of new Set([...jsonTopics.values()].map((t) => t.brokerUrl))) {
    const client = connect(url, { clientId: `sim-${site.id}-json-${Math.random().toString(36).slice(2, 8)}`, clean: true, reconnectPeriod: 1000 });
    jsonClients.set(url, client);
    await new Promise<void>((resolve, reject) => (client.once('connect', () => resolve()), client.once('error', reject)));
  }

  const topicOf = (n: EdgeNode, type: string, device?: string) => `spBv1.0/${n.group}/${type}/${n.node}${device ? `/${device}` : ''}`;
  const metricsOf = (n: EdgeNode, device: string, only?: Record<string, SampleValue>) =>
    [...(n.devices.get(device) ?? new Map<string, Point>()).entries()].flatMap(([name, point]) => {
      const value = only ? only[point.id] : (last.get(point.id) ?? (point.unit === 'bool' ? false : 0));
      return value === undefined ? [] : [{ name, type: metricType(point, value), value, timestamp: now() }];
    });
  const send = (n: EdgeNode, topic: string, payload: Parameters<typeof codec.encodePayload>[0]) =>
    n.client!.publishAsync(topic, Buffer.from(codec.encodePayload({ ...payload, timestamp: now(), seq: nextSeq(n) })), { qos: 0 });
  const nextSeq = (n: EdgeNode) => {
    const seq = n.seq;
    n.seq = (n.seq + 1) % 256;
    return seq;
  };
  const birth = async (n: EdgeNode) => {
    n.seq = 0;
    await send(n, topicOf(n, 'NBIRTH'), { metrics: [{ name: 'bdSeq', type: 'UInt64', value: n.bdSeq }, ...metricsOf(n, '')] });
    for (const device of n.devices.keys()) if (device !== '') await send(n, topicOf(n, 'DBIRTH', device), { metrics: metricsOf(n, device) });
  };
  const connectNode = async (n: EdgeNode) => {
    const will = Buffer.from(codec.encodePayload({ timestamp: now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: n.bdSeq }] }));
    const client = connect(n.brokerUrl, {
      clientId: `sim-${site.id}-${n.node}-${Math.random().toString(36).slice(2, 8)}`,
      clean: true,
      keepalive: options.keepaliveS ?? 10,
      reconnectPeriod: 0,
      will: { topic: topicOf(n, 'NDEATH'), payload: will, qos: 1, retain: false },
    });
    n.client = client;
    await new Promise<void>((resolve, reject) => (client.once('connect', () => resolve()), client.once('error', reject)));
    client.on('message', (_topic, payload) => {
      try {
        if (codec.decodePayload(payload).metrics?.some((m) => m.name === REBIRTH && m.value === true)) void birth(n);
      } catch {
        // not a command this node understands
      }
    });
    await client.subscribeAsync(topicOf(n, 'NCMD'), { qos: 0 });
    await birth(n);
  };
  for (const n of nodes.values()) await connectNode(n);
  const nodeNamed = (name: string) => {
    const found = [...nodes.values()].find((n) => n.node === name);
    if (!found) throw new SimError('SIM_NODE', `no Sparkplug edge node ${name} on site ${site.id}`);
    return found;
  };

  return {
    async publish(values) {
      for (const [id, value] of Object.entries(values)) last.set(id, value);
      for (const [topic, { brokerUrl, points }] of jsonTopics) {
        const mine = points.filter(({ point }) => values[point.id] !== undefined);
        if (mine.length === 0) continue;
        let payload: unknown = {};
        for (const { point, mapping } of mine) {
          payload = setField(payload as Record<string, unknown>, mapping.path, values[point.id]);
          if (mapping.timeField) payload = setField(payload as Record<string, unknown>, mapping.timeField, mapping.timeUnit === 's' ? Math.floor(now() / 1000) : now());
          if (mapping.unitField) payload = setField(payload as Record<string, unknown>, mapping.unitField, point.unit);
        }
        await jsonClients.get(brokerUrl)!.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
      }
      for (const n of nodes.values()) {
        if (!n.client?.connected) continue;
        for (const device of n.devices.keys()) {
          const metrics = metricsOf(n, device, values);
          if (metrics.length > 0) await send(n, device === '' ? topicOf(n, 'NDATA') : topicOf(n, 'DDATA', device), { metrics });
        }
      }
    },
    kill(name) {
      const n = nodeNamed(name);
      n.client?.stream.destroy();
      n.client?.end(true);
      n.client = undefined;
    },
    async revive(name) {
      const n = nodeNamed(name);
      n.bdSeq = (n.bdSeq + 1) % 256;
      await connectNode(n);
    },
    async stop() {
      await Promise.all([...jsonClients.values()].map((c) => c.endAsync()));
      await Promise.all([...nodes.values()].map((n) => n.client?.endAsync()));
    },
  };
}
