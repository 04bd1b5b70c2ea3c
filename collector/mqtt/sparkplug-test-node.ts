import { connect, type MqttClient } from 'mqtt';
import { systemClock } from '../../model/index.ts';
import type { UMetric } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { decodeSparkplugPayload, encodeSparkplugPayload, REBIRTH_METRIC } from './sparkplug-payload.ts';
import { SPARKPLUG_NAMESPACE } from './sparkplug-topic.ts';

/** A metric as the test node declares it in its births. */
export interface TestMetric {
  name: string;
  alias?: number;
  type: UMetric['type'];
  value: UMetric['value'];
}

export interface SparkplugTestNodeOptions {
  brokerUrl: string;
  group: string;
  node: string;
  /** the node's own metrics (beside bdSeq) */
  metrics?: TestMetric[];
  /** device id → its metrics */
  devices?: Record<string, TestMetric[]>;
  keepaliveS?: number;
  /** the birth-death sequence of this session (default 0) */
  bdSeq?: number;
}

/**
 * An edge node written for the tests: it connects with its NDEATH as last will (Sparkplug B 3.0 §7.1),
 * sends NBIRTH and DBIRTHs, numbers every message 0–255, answers a rebirth request, and can be made to
 * misbehave: skip sequence numbers, send metrics it never declared, send garbage, or die without a
 * clean disconnect.
 */
export interface SparkplugTestNode {
  /** births sent so far (the first, and one per rebirth request answered) */
  readonly births: number;
  /** rebirth requests received */
  readonly rebirthRequests: number;
  /** DDATA (or NDATA without a device) with the given metrics, by alias when the metric has one */
  data(device: string | undefined, metrics: { name: string; type?: UMetric['type']; value: UMetric['value'] }[], options?: { byName?: boolean }): Promise<void>;
  /** skip sequence numbers, as if messages had been lost */
  skipSequence(count: number): void;
  /** publish raw bytes as a node's or device's data message */
  raw(device: string | undefined, bytes: Buffer): Promise<void>;
  /** a clean DDEATH of a device */
  deviceDeath(device: string): Promise<void>;
  /** the socket destroyed under the client: no DISCONNECT, so the broker publishes the will */
  kill(): void;
  stop(): Promise<void>;
}

export async function startSparkplugTestNode(options: SparkplugTestNodeOptions): Promise<SparkplugTestNode> {
  const { group, node } = options;
  const topic = (type: string, device?: string) => `${SPARKPLUG_NAMESPACE}/${group}/${type}/${node}${device ? `/${device}` : ''}`;
  const bdSeq = options.bdSeq ?? 0;
  const values = new Map<string, TestMetric>();
  for (const m of options.metrics ?? []) values.set(`/${m.name}`, { ...m });
  for (const [device, metrics] of Object.entries(options.devices ?? {})) for (const m of metrics) values.set(`${device}/${m.name}`, { ...m });
  let seq = 0;
  let births = 0;
  let rebirthRequests = 0;
  const nextSeq = () => {
    const current = seq;
    seq = (seq + 1) % 256;
    return current;
  };
  const bdSeqMetric = { name: 'bdSeq', type: 'UInt64' as const, value: bdSeq };
  const client: MqttClient = connect(options.brokerUrl, {
    clientId: `test-node-${group}-${node}-${Math.random().toString(36).slice(2, 8)}`,
    clean: true,
    keepalive: options.keepaliveS ?? 60,
    reconnectPeriod: 0,
    will: { topic: topic('NDEATH'), payload: Buffer.from(encodeSparkplugPayload({ timestamp: systemClock.now(), metrics: [bdSeqMetric] })), qos: 1, retain: false },
  });
  const publish = (t: string, payload: Uint8Array) => client.publishAsync(t, Buffer.from(payload), { qos: 0 }).then(() => undefined);
  const declared = (device: string | undefined) =>
    [...values.entries()]
      .filter(([key]) => key.startsWith(`${device ?? ''}/`))
      .map(([, m]) => ({ name: m.name, type: m.type, value: m.value, ...(m.alias !== undefined ? { alias: m.alias } : {}) }));

  async function birth(): Promise<void> {
    seq = 0;
    births++;
    await publish(topic('NBIRTH'), encodeSparkplugPayload({ timestamp: systemClock.now(), seq: nextSeq(), metrics: [bdSeqMetric, ...declared(undefined)] }));
    for (const device of Object.keys(options.devices ?? {}))
      await publish(topic('DBIRTH', device), encodeSparkplugPayload({ timestamp: systemClock.now(), seq: nextSeq(), metrics: declared(device) }));
  }

  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  client.on('message', (_t, payload) => {
    try {
      const command = decodeSparkplugPayload(payload);
      if (command.metrics.some((m) => m.name === REBIRTH_METRIC && m.value === true)) {
        rebirthRequests++;
        void birth();
      }
    } catch {
      // not a command this node understands
    }
  });
  await client.subscribeAsync(topic('NCMD'), { qos: 0 });
  await birth();

  return {
    get births() {
      return births;
    },
    get rebirthRequests() {
      return rebirthRequests;
    },
    async data(device, metrics, dataOptions = {}) {
      const out = metrics.map(({ name, type, value }) => {
        const known = values.get(`${device ?? ''}/${name}`);
        if (known && (type === undefined || type === known.type)) known.value = value;
        const alias = dataOptions.byName ? undefined : known?.alias;
        return { ...(alias !== undefined ? { alias } : { name }), type: type ?? known?.type ?? 'Double', value, timestamp: systemClock.now() };
      });
      await publish(topic(device ? 'DDATA' : 'NDATA', device), encodeSparkplugPayload({ timestamp: systemClock.now(), seq: nextSeq(), metrics: out }));
    },
    skipSequence(count) {
      seq = (seq + count) % 256;
    },
    async raw(device, bytes) {
      await client.publishAsync(topic(device ? 'DDATA' : 'NDATA', device), bytes, { qos: 0 });
    },
    async deviceDeath(device) {
      await publish(topic('DDEATH', device), encodeSparkplugPayload({ timestamp: systemClock.now(), seq: nextSeq(), metrics: [] }));
    },
    kill() {
      client.options.reconnectPeriod = 0;
      client.stream.destroy();
      client.end(true);
    },
    async stop() {
      await client.endAsync();
    },
  };
}

/** An MQTT 3.1.1 length-prefixed field. */
function field(bytes: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An MQTT control packet: its first byte, the remaining length as a variable-length integer, then the rest. */
function packet(first: number, body: Buffer): Buffer {
  const length: number[] = [];
  let left = body.length;
  do {
    let byte = left % 128;
    left = Math.floor(left / 128);
    if (left > 0) byte |= 0x80;
    length.push(byte);
  } while (left > 0);
  return Buffer.concat([Buffer.from([first, ...length]), body]);
}

/**
 * An edge node on a raw TCP socket, written byte by byte (MQTT 3.1.1 §3.1 CONNECT with its NDEATH as
 * will, §3.3 PUBLISH of its NBIRTH), which then falls silent: it never sends a PINGREQ and never
 * closes, like a device whose power or radio link is gone. Only the broker's keep-alive can find it
 * dead (after 1.5 × keepaliveS, §3.1.2.10) and publish its will.
 */
export async function startSilentSparkplugNode(options: {
  port: number;
  group: string;
  node: string;
  keepaliveS: number;
  metrics: TestMetric[];
  bdSeq?: number;
}): Promise<{ close(): void }> {
  const { createConnection } = await import('node:net');
  const base = `${SPARKPLUG_NAMESPACE}/${options.group}`;
  const bdSeqMetric = { name: 'bdSeq', type: 'UInt64' as const, value: options.bdSeq ?? 0 };
  const will = Buffer.from(encodeSparkplugPayload({ timestamp: systemClock.now(), metrics: [bdSeqMetric] }));
  const keepalive = Buffer.alloc(2);
  keepalive.writeUInt16BE(options.keepaliveS);
  // flags: clean session 0x02, will 0x04, will QoS 1 0x08
  const connectBody = Buffer.concat([
    field(Buffer.from('MQTT')),
    Buffer.from([4, 0x02 | 0x04 | 0x08]),
    keepalive,
    field(Buffer.from(`silent-${options.node}-${Math.random().toString(36).slice(2, 8)}`)),
    field(Buffer.from(`${base}/NDEATH/${options.node}`)),
    field(will),
  ]);
  const birth = Buffer.from(encodeSparkplugPayload({ timestamp: systemClock.now(), seq: 0, metrics: [bdSeqMetric, ...options.metrics] }));
  const socket = createConnection({ host: '127.0.0.1', port: options.port });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => socket.write(packet(0x10, connectBody)));
    // CONNACK: 0x20 0x02 <session present> <return code 0>
    socket.once('data', (answer: Buffer) => (answer[0] === 0x20 && answer[3] === 0 ? resolve() : reject(new Error(`CONNACK refused: ${answer.toString('hex')}`))));
  });
  socket.write(packet(0x30, Buffer.concat([field(Buffer.from(`${base}/NBIRTH/${options.node}`)), birth])));
  socket.on('error', () => undefined);
  return { close: () => void socket.destroy() };
}
