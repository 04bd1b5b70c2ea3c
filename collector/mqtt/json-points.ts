import { isSparkplugMapping, type MqttJsonMapping, type Point } from '../../model/index.ts';
import { compileJsonField, type JsonFieldReader } from './json-field.ts';
import { describeValue, pointValue, type Reading } from './reading.ts';
import { hasWildcard, topicMatches } from './topic-filter.ts';

/** One point read from a JSON topic. */
interface JsonPoint {
  point: Point;
  filter: string;
  value: JsonFieldReader;
  path: string;
  time?: { read: JsonFieldReader; field: string; scale: number };
  unit?: { read: JsonFieldReader; field: string };
}

/** The JSON points of a source: the topic filters to subscribe to, and what a message on a topic says of each point it carries. */
export interface JsonPoints {
  readonly filters: string[];
  /** the readings of a message; none when no point is mapped to its topic */
  read(topic: string, payload: Buffer, arrivedAt: number): Reading[];
  /** the points read through one topic filter */
  pointsOf(filter: string): Point[];
}

export function createJsonPoints(points: readonly Point[], where: string): JsonPoints {
  const exact = new Map<string, JsonPoint[]>();
  const wildcards: JsonPoint[] = [];
  for (const point of points) {
    const mapping = point.mqtt;
    if (!mapping || isSparkplugMapping(mapping)) continue;
    const entry = compile(point, mapping, `${where}: point ${point.id}`);
    if (hasWildcard(mapping.topic)) wildcards.push(entry);
    else exact.set(mapping.topic, [...(exact.get(mapping.topic) ?? []), entry]);
  }
  const filters = [...new Set([...exact.keys(), ...wildcards.map((w) => w.filter)])];

  return {
    filters,
    pointsOf: (filter) => [...(exact.get(filter) ?? []), ...wildcards.filter((w) => w.filter === filter)].map((entry) => entry.point),
    read(topic, payload, arrivedAt) {
      const direct = exact.get(topic);
      const matched = wildcards.length === 0 ? direct : [...(direct ?? []), ...wildcards.filter((w) => topicMatches(w.filter, topic))];
      if (!matched || matched.length === 0) return [];
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload.toString('utf8'));
      } catch (error) {
        const bad = `malformed JSON on ${topic}: ${(error as Error).message}`;
        return matched.map(({ point }) => ({ point, ts: arrivedAt, bad }));
      }
      return matched.map((entry) => readPoint(entry, topic, parsed, arrivedAt));
    },
  };
}

function compile(point: Point, mapping: MqttJsonMapping, where: string): JsonPoint {
  return {
    point,
    filter: mapping.topic,
    path: mapping.path,
    value: compileJsonField(mapping.path, where),
    ...(mapping.timeField ? { time: { read: compileJsonField(mapping.timeField, where), field: mapping.timeField, scale: mapping.timeUnit === 's' ? 1000 : 1 } } : {}),
    ...(mapping.unitField ? { unit: { read: compileJsonField(mapping.unitField, where), field: mapping.unitField } } : {}),
  };
}

function readPoint(entry: JsonPoint, topic: string, payload: unknown, arrivedAt: number): Reading {
  const { point } = entry;
  let ts = arrivedAt;
  if (entry.time) {
    const raw = entry.time.read(payload);
    const at = typeof raw === 'number' ? raw * entry.time.scale : typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
    if (raw === undefined) return { point, ts, bad: `no time at ${entry.time.field} on ${topic}` };
    if (!Number.isFinite(at)) return { point, ts, bad: `time ${describeValue(raw)} at ${entry.time.field} on ${topic} is not a time` };
    ts = at;
  }
  if (entry.unit) {
    const unit = entry.unit.read(payload);
    if (unit !== point.unit)
      return {
        point,
        ts,
        bad: `unit ${typeof unit === 'string' ? JSON.stringify(unit) : describeValue(unit)} at ${entry.unit.field} on ${topic} where ${point.unit} was expected`,
      };
  }
  const raw = entry.value(payload);
  if (raw === undefined) return { point, ts, bad: `no value at ${entry.path} on ${topic}` };
  const typed = pointValue(point, raw);
  return 'bad' in typed ? { point, ts, bad: `${typed.bad} (${entry.path} on ${topic})` } : { point, ts, value: typed.value };
}
