import { describe, expect, it } from 'vitest';
import { parseSite, SiteDefinitionError } from './index.ts';

const site = (source: string, point: string) => `
id: mqtt-site
name: { zh: 测试, en: Test }
location: { lat: 34.75, lon: 113.66 }
plan: { width: 100, height: 100 }
standards: [early-works-flood]
sources:
  - ${source}
assets:
  - { id: W01, kind: shelter, name: { zh: 一号, en: One }, position: { x: 1, y: 1 } }
points:
  - ${point}
`;
const broker = '{ id: mq, protocol: mqtt, endpoint: "mqtt://127.0.0.1:1883", sparkplugGroup: district-7 }';

function issues(text: string): { path: string; message: string }[] {
  try {
    parseSite(text, 'mqtt.yaml');
  } catch (error) {
    if (error instanceof SiteDefinitionError) return error.issues.map(({ path, message }) => ({ path, message }));
    throw error;
  }
  return [];
}

describe('site file: MQTT sources and their points', () => {
  it('takes a JSON point and a Sparkplug point, with the defaults', () => {
    const parsed = parseSite(
      site(broker, '{ asset: W01, name: level, unit: m, source: mq, mqtt: { topic: "works/+/sump", path: data.level } }').replace(
        'points:\n',
        'points:\n  - { asset: W01, name: pump, unit: bool, source: mq, mqtt: { node: edge-1, device: sump, metric: pump/running } }\n',
      ),
      'mqtt.yaml',
    );
    expect(parsed.sources[0]).toMatchObject({ protocol: 'mqtt', keepaliveS: 30, rebirth: true, staleAfterMs: 120_000 });
    expect(parsed.points.map((p) => p.mqtt)).toEqual([
      { node: 'edge-1', device: 'sump', metric: 'pump/running' },
      { topic: 'works/+/sump', path: 'data.level', timeUnit: 'ms' },
    ]);
  });

  it('refuses a broken topic filter, a JSON path outside the grammar and a point without a mapping, naming each', () => {
    expect(issues(site(broker, '{ asset: W01, name: level, unit: m, source: mq, mqtt: { topic: "works/#/sump" } }'))).toEqual([
      { path: 'points[0].mqtt.topic', message: 'must be an MQTT topic filter: "+" stands for a whole level and "#" only for the whole last level' },
    ]);
    expect(issues(site(broker, '{ asset: W01, name: level, unit: m, source: mq, mqtt: { topic: works/sump, path: "a..b" } }'))).toEqual([
      { path: 'points[0].mqtt.path', message: 'must be a JSON field such as level, data.level or values[0].v ($ for the whole payload)' },
    ]);
    expect(issues(site(broker, '{ asset: W01, name: level, unit: m, source: mq, mqtt: { node: a, metric: b, topic: c } }'))).toEqual([
      { path: 'points[0].mqtt', message: 'must be either { topic, path?, timeField?, timeUnit?, unitField? } (JSON) or { node, device?, metric } (Sparkplug B)' },
    ]);
    expect(issues(site(broker, '{ asset: W01, name: level, unit: m, source: mq }'))).toEqual([
      { path: 'points[0].mqtt', message: 'point on MQTT source "mq" needs an mqtt mapping (a topic or a Sparkplug metric)' },
    ]);
  });

  it('refuses a Sparkplug point on a source with no group, and a CA file without TLS', () => {
    const bare = '{ id: mq, protocol: mqtt, endpoint: "mqtt://127.0.0.1:1883" }';
    expect(issues(site(bare, '{ asset: W01, name: pump, unit: bool, source: mq, mqtt: { node: edge-1, metric: pump } }'))).toEqual([
      { path: 'points[0].mqtt', message: 'a Sparkplug B point needs its MQTT source "mq" to name its sparkplugGroup' },
    ]);
    expect(
      issues(site('{ id: mq, protocol: mqtt, endpoint: "mqtt://127.0.0.1:1883", caFile: /etc/ca.pem }', '{ asset: W01, name: level, unit: m, source: mq, mqtt: { topic: a } }')),
    ).toEqual([{ path: 'sources[0].caFile', message: 'caFile needs an mqtts:// endpoint' }]);
  });
});
