import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseSite, type MqttSource, type Site } from '../../model/index.ts';
import type { Source } from '../source.ts';
import { createRecorder, waitFor, type Recorder } from '../test-support.ts';
import { createMqttSource } from './mqtt-source.ts';
import { startTestBroker, type TestBroker } from './test-broker.ts';

/**
 * TLS and user/password against a Mosquitto of the test's own: a CA made here with openssl signs the
 * broker's certificate (for IP 127.0.0.1), and a password file made with mosquitto_passwd admits one user.
 */

const run = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const topic = `${run}/W01/sump`;
const USER = 'works-reader';
const PASSWORD = 'flood-season-2026';

let certs: string;
let broker: TestBroker;
const sources: Source[] = [];
const devices: MqttClient[] = [];

function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=ketwin test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', 'server.pem', '-extfile', 'san.ext');
  execFileSync('mosquitto_passwd', ['-b', '-c', join(dir, 'passwd'), USER, PASSWORD], { stdio: 'ignore' });
  // mosquitto started as root reads these as the user mosquitto
  for (const file of ['ca.pem', 'server.pem', 'server.key', 'passwd']) chmodSync(join(dir, file), 0o644);
  chmodSync(dir, 0o755);
}

beforeAll(async () => {
  certs = mkdtempSync(join(tmpdir(), 'ketwin-mqtt-tls-'));
  writeFileSync(join(certs, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  makeCertificates(certs);
  broker = await startTestBroker({
    listenerConfig: (port) =>
      [
        `listener ${port} 127.0.0.1`,
        `cafile ${certs}/ca.pem`,
        `certfile ${certs}/server.pem`,
        `keyfile ${certs}/server.key`,
        'allow_anonymous false',
        `password_file ${certs}/passwd`,
        '',
      ].join('\n'),
  });
}, 30_000);
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.stop()));
  await Promise.all(devices.splice(0).map((d) => d.endAsync(true)));
});
afterAll(async () => {
  await broker?.close();
  if (certs) rmSync(certs, { recursive: true, force: true });
});

function tlsSite(over: Record<string, unknown>): Site {
  const source = { id: 'mqtt-works', protocol: 'mqtt', endpoint: `mqtts://127.0.0.1:${broker.port}`, staleAfterMs: 60_000, ...over };
  return parseSite(
    `
id: mqtt-tls
name: { zh: 加密, en: TLS }
location: { lat: 34.75, lon: 113.66 }
plan: { width: 100, height: 100 }
standards: [early-works-flood]
sources:
  - ${JSON.stringify(source)}
assets:
  - { id: W01, kind: shelter, name: { zh: 一号工程, en: Work 1 }, position: { x: 10, y: 10 } }
points:
  - { asset: W01, name: water_level, unit: m, source: mqtt-works, mqtt: { topic: ${topic}, path: level } }
`,
    'mqtt-tls.yaml',
  );
}

function startSource(site: Site, env: Record<string, string>): { source: Source; recorder: Recorder } {
  const recorder = createRecorder();
  const source = createMqttSource({
    site: site.id,
    source: { ...(site.sources[0] as MqttSource), clientId: `ketwin-${run}-${sources.length}` },
    points: site.points,
    env,
    reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
  });
  sources.push(source);
  void source.start(recorder.sink);
  return { source, recorder };
}

describe('MQTT source: TLS and user/password', () => {
  it('reads over mqtts with the CA of the site file and the password from the environment', async () => {
    const { recorder, source } = startSource(tlsSite({ caFile: join(certs, 'ca.pem'), username: USER, passwordEnv: 'KETWIN_MQTT_PASSWORD' }), {
      KETWIN_MQTT_PASSWORD: PASSWORD,
    });
    const device = connect(broker.url.replace('mqtt://', 'mqtts://'), { username: USER, password: PASSWORD, ca: readFileSync(join(certs, 'ca.pem')), reconnectPeriod: 0 });
    devices.push(device);
    await new Promise<void>((resolve, reject) => (device.once('connect', () => resolve()), device.once('error', reject)));
    await new Promise((r) => setTimeout(r, 500)); // the source's subscription is in place
    await device.publishAsync(topic, JSON.stringify({ level: 0.33 }), { qos: 1 });
    await waitFor(() => recorder.latest('W01.water_level')?.quality === 'good', 'a reading over TLS');
    expect(recorder.latest('W01.water_level')).toMatchObject({ value: 0.33, quality: 'good' });
    expect(source.stats().online).toBe(true);
  });

  it('a wrong password: offline, every point bad with the broker’s refusal, and it keeps trying', async () => {
    const { recorder, source } = startSource(tlsSite({ caFile: join(certs, 'ca.pem'), username: USER, passwordEnv: 'KETWIN_MQTT_PASSWORD' }), {
      KETWIN_MQTT_PASSWORD: 'not-the-password',
    });
    await waitFor(() => recorder.latest('mqtt-works.online')?.value === false, 'offline');
    expect(recorder.latest('W01.water_level')).toMatchObject({ quality: 'bad', reason: 'not connected (Connection refused: Not authorized)' });
    expect(source.stats().online).toBe(false);
  });

  it('a broker whose certificate does not chain to a trusted CA: not connected, with the reason', async () => {
    const { recorder } = startSource(tlsSite({ username: USER, passwordEnv: 'KETWIN_MQTT_PASSWORD' }), { KETWIN_MQTT_PASSWORD: PASSWORD });
    await waitFor(() => recorder.latest('mqtt-works.online')?.value === false, 'offline');
    expect(recorder.latest('W01.water_level')).toMatchObject({ quality: 'bad', reason: 'not connected (SELF_SIGNED_CERT_IN_CHAIN)' });
  });
});
