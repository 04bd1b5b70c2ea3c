import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpcuaSource, Point, Site } from '../../model/index.ts';
import { startDepotSim, type DepotSim } from '../../sim/index.ts';
import type { Source } from '../source.ts';
import { createLogCapture, createRecorder, loadDemoSite, waitFor } from '../test-support.ts';
import { createOpcuaSource } from './opcua-source.ts';

const fast = { initialDelayMs: 100, maxDelayMs: 400 };
const env = { KETWIN_PLC_PASSWORD: 's3cret-plc' };

let dir: string;
let sim: DepotSim;
let site: Site;
let source: OpcuaSource;
let points: Point[];
const started: Source[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ketwin-opcua-security-'));
  const demo = await loadDemoSite();
  sim = await startDepotSim(demo, { tickMs: 100, pkiDir: join(dir, 'sim-pki'), users: { collector: env.KETWIN_PLC_PASSWORD } });
  site = sim.siteWithEndpoints();
  source = { ...site.sources.find((s): s is OpcuaSource => s.protocol === 'opcua')!, publishingIntervalMs: 100 };
  points = site.points.filter((p) => p.source === source.id).slice(0, 4);
});
afterAll(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function trustSim(pki: string) {
  mkdirSync(join(pki, 'trusted', 'certs'), { recursive: true });
  copyFileSync(sim.certificateFile, join(pki, 'trusted', 'certs', 'depot-sim.pem'));
}

async function start(over: Partial<OpcuaSource>, pki: string, logger = createLogCapture().logger) {
  const recorder = createRecorder();
  const opcua = createOpcuaSource({ site: site.id, source: { ...source, ...over }, points, pkiDir: pki, env, logger, reconnect: fast });
  started.push(opcua);
  await opcua.start(recorder.sink);
  return { opcua, recorder };
}

describe('OPC-UA security', () => {
  it('reads over SignAndEncrypt (Aes256_Sha256_RsaPss) with a trusted server certificate and a user name, creating its own certificate', async () => {
    const pki = join(dir, 'trusted-pki');
    trustSim(pki);
    const { recorder, opcua } = await start(
      { securityMode: 'SignAndEncrypt', securityPolicy: 'Aes256_Sha256_RsaPss', username: 'collector', passwordEnv: 'KETWIN_PLC_PASSWORD' },
      pki,
    );
    await waitFor(() => points.every((p) => recorder.latest(p.id)?.quality === 'good'), 'good samples over SignAndEncrypt', 30_000);
    expect(recorder.latest('plc-tankfarm.online')).toMatchObject({ value: true, quality: 'good' });
    expect(readdirSync(join(pki, 'own', 'certs')).some((f) => f.endsWith('.pem'))).toBe(true);
    expect(existsSync(join(pki, 'own', 'private', 'private_key.pem'))).toBe(true);
    expect(opcua.stats()).toMatchObject({ source: 'plc-tankfarm', protocol: 'opcua', online: true });
  });

  it('reads over Sign with Basic256Sha256', async () => {
    const pki = join(dir, 'sign-pki');
    trustSim(pki);
    const { recorder } = await start({ securityMode: 'Sign', securityPolicy: 'Basic256Sha256' }, pki);
    await waitFor(() => points.every((p) => recorder.latest(p.id)?.quality === 'good'), 'good samples over Sign', 30_000);
  });

  it('refuses an untrusted server certificate with a clear log line and bad samples, and connects once an operator trusts it', async () => {
    const pki = join(dir, 'untrusted-pki');
    const log = createLogCapture();
    const { recorder } = await start({ securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' }, pki, log.logger);
    await waitFor(() => recorder.latest(points[0]!.id) !== undefined, 'a verdict on the first connection', 30_000);
    for (const point of points) expect(recorder.latest(point.id), point.id).toMatchObject({ quality: 'bad', reason: 'server certificate not trusted (BadCertificateUntrusted)' });
    expect(recorder.latest('plc-tankfarm.online')).toMatchObject({ value: false });
    const line = log.lines.find((l) => /server certificate not trusted/.test(l.msg));
    expect(line?.msg).toMatch(
      /OPC-UA source plc-tankfarm \(opc\.tcp:\/\/127\.0\.0\.1:\d+\/ketwin\): server certificate not trusted \(BadCertificateUntrusted\): it was put in .*rejected; move it to .*trusted\/certs/,
    );
    expect(line?.level).toBe(50);
    expect(recorder.samples.some((s) => s.quality === 'good' && s.point !== 'plc-tankfarm.online')).toBe(false);
    // the operator trusts it: moved from rejected/ to trusted/certs/
    const rejected = readdirSync(join(pki, 'rejected')).filter((f) => f.endsWith('.pem'));
    expect(rejected).toHaveLength(1);
    renameSync(join(pki, 'rejected', rejected[0]!), join(pki, 'trusted', 'certs', rejected[0]!));
    await waitFor(() => points.every((p) => recorder.latest(p.id)?.quality === 'good'), 'good samples once trusted', 30_000);
  });

  it('trusts the first server certificate only when trustOnFirstUse asks for it', async () => {
    const pki = join(dir, 'tofu-pki');
    const { recorder } = await start({ securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256', trustOnFirstUse: true }, pki);
    await waitFor(() => points.every((p) => recorder.latest(p.id)?.quality === 'good'), 'good samples on first use', 30_000);
    expect(readdirSync(join(pki, 'trusted', 'certs')).filter((f) => f.endsWith('.pem'))).toHaveLength(1);
  });

  it('reports a wrong password as a security rejection', async () => {
    const pki = join(dir, 'wrong-password-pki');
    trustSim(pki);
    const log = createLogCapture();
    const recorder = createRecorder();
    const opcua = createOpcuaSource({
      site: site.id,
      source: { ...source, securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256', username: 'collector', passwordEnv: 'KETWIN_PLC_PASSWORD' },
      points,
      pkiDir: pki,
      env: { KETWIN_PLC_PASSWORD: 'wrong' },
      logger: log.logger,
      reconnect: fast,
    });
    started.push(opcua);
    await opcua.start(recorder.sink);
    await waitFor(() => recorder.latest(points[0]!.id) !== undefined, 'a verdict', 30_000);
    expect(recorder.latest(points[0]!.id)?.quality).toBe('bad');
    expect(recorder.latest(points[0]!.id)?.reason).toMatch(/security rejected \(Bad\w+\)/);
  });

  it('checks the security configuration before connecting', () => {
    const make =
      (over: Partial<OpcuaSource>, environment: Record<string, string | undefined> = env) =>
      () =>
        createOpcuaSource({ site: site.id, source: { ...source, ...over }, points, env: environment, pkiDir: join(dir, 'never') });
    expect(make({ securityMode: 'SignAndEncrypt' })).toThrow(/securityMode SignAndEncrypt does not go with securityPolicy/);
    expect(make({ username: 'collector', passwordEnv: 'KETWIN_PLC_PASSWORD' }, {})).toThrow(
      /plc-tankfarm .*environment variable KETWIN_PLC_PASSWORD \(the password of user collector\) is not set/,
    );
    expect(make({ username: 'collector' })).toThrow(expect.objectContaining({ code: 'COLLECTOR_CONFIG' }));
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
