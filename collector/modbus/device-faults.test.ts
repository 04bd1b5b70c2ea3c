import { afterEach, describe, expect, it } from 'vitest';
import type { ModbusSource, Point } from '../../model/index.ts';
import type { Source } from '../source.ts';
import { commsLossRaisedAt, createLogCapture, createRecorder, waitFor, type Recorder } from '../test-support.ts';
import { createModbusSource } from './modbus-source.ts';
import { startRawPeer, type RawPeer } from './raw-peer.ts';

/**
 * The Modbus source against a raw peer that misbehaves on purpose (raw-peer.ts): what readers
 * see, how often the source reconnects, and what the comms-loss alarm would do.
 */
const POLL_MS = 100;
const TIMEOUT_MS = 300;
const COMMS_LOSS_DELAY_MS = 1000;

const holding = (address: number, type: 'uint16' | 'float32' = 'uint16'): Point => ({
  id: `DEV.h${address}`,
  asset: 'DEV',
  name: `h${address}`,
  unit: 'm',
  source: 'rtu-x',
  staleAfterMs: 10_000,
  register: { table: 'holding', address, type, order: 'ABCD', scale: 1, offset: 0 },
});
const coil = (address: number): Point => ({
  ...holding(0),
  id: `DEV.c${address}`,
  name: `c${address}`,
  unit: 'bool',
  register: { table: 'coil', address, type: 'bool', order: 'ABCD', scale: 1, offset: 0 },
});

// 548–551 are read together, and 550 is refused with exception 02; 596–600 are read together, and
// 600 lies past the device's registers (a reply without data); the coils always read well
const points = [holding(548), holding(549), holding(550), holding(551), holding(596), holding(597), holding(598, 'float32'), holding(600), coil(0), coil(1)];
const good = points.filter((p) => p.id !== 'DEV.h550' && p.id !== 'DEV.h600');

const peers: RawPeer[] = [];
const sources: Source[] = [];
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.stop()));
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

async function start(setUp: (peer: RawPeer) => void = () => {}, port?: number) {
  const peer = await startRawPeer();
  peers.push(peer);
  setUp(peer);
  const source: ModbusSource = {
    id: 'rtu-x',
    protocol: 'modbus',
    transport: 'tcp',
    endpoint: `tcp://127.0.0.1:${port ?? peer.port}`,
    unitId: 7,
    pollIntervalMs: POLL_MS,
    timeoutMs: TIMEOUT_MS,
    staleAfterMs: 10_000,
  };
  const recorder = createRecorder();
  const { logger, lines } = createLogCapture();
  const modbus = createModbusSource({ site: 'faults', source, points, logger, reconnect: { initialDelayMs: 100, maxDelayMs: 400 } });
  sources.push(modbus);
  await modbus.start(recorder.sink);
  return { peer, recorder, modbus, lines };
}

/** every point that should read well has, since `since` */
const allGoodSince = (recorder: Recorder, since: number) =>
  good.every((p) => recorder.of(p.id).some((s) => s.quality === 'good' && s.ts >= since) && recorder.latest(p.id)?.quality === 'good');

function expectValues(recorder: Recorder) {
  for (const address of [548, 549, 551, 596, 597]) expect(recorder.latest(`DEV.h${address}`), `h${address}`).toMatchObject({ value: address * 10, quality: 'good' });
  const float = Buffer.alloc(4);
  float.writeUInt16BE(5980, 0);
  float.writeUInt16BE(5990, 2);
  expect(recorder.latest('DEV.h598')).toMatchObject({ value: float.readFloatBE(0), quality: 'good' });
  expect(recorder.latest('DEV.c0')).toMatchObject({ value: false, quality: 'good' });
  expect(recorder.latest('DEV.c1')).toMatchObject({ value: true, quality: 'good' });
}

describe('Modbus source against a peer that says no', () => {
  it('marks only the refused addresses bad, with the reason, keeps their neighbours good, and never reconnects', async () => {
    const { peer, recorder, modbus, lines } = await start((p) => p.exceptionAt.add(550));
    await waitFor(() => points.every((p) => recorder.latest(p.id)) && allGoodSince(recorder, 0), 'a reading of every point');
    await new Promise((r) => setTimeout(r, 10 * POLL_MS));
    expectValues(recorder);
    expect(recorder.latest('DEV.h550')).toMatchObject({ quality: 'bad', reason: 'illegal data address 550 (holding, modbus exception 2)', value: Number.NaN });
    expect(recorder.latest('DEV.h600')).toMatchObject({ quality: 'bad', reason: 'no data for holding 600 (0 of 2 bytes)' });
    // the coalesced reads were split once, so neighbours were bad at most in the very first poll
    for (const p of good)
      expect(
        recorder.of(p.id).filter((s) => s.quality !== 'good'),
        p.id,
      ).toEqual([]);
    expect(modbus.stats()).toMatchObject({ online: true, reconnects: 0 });
    expect(peer.connections).toBe(1);
    expect(recorder.of('rtu-x.online').map((s) => s.value)).toEqual([true]);
    expect(commsLossRaisedAt(recorder.samples, 'rtu-x', COMMS_LOSS_DELAY_MS)).toBeUndefined();
    // each refusal warned about once (then counted per minute), not once a poll
    expect(lines.filter((l) => /reading its points one by one/.test(l.msg))).toHaveLength(2);
    expect(lines.filter((l) => l.msg.endsWith('read refused'))).toHaveLength(2);
  });
});

describe('Modbus source against a peer whose answers do not parse', () => {
  for (const [fault, reason] of [
    ['truncate', 'timeout'],
    ['transaction', /^out of step: transaction id \d+ where \d+ was expected$/],
    ['unit', 'out of step: unit id 8 where 7 was expected'],
  ] as const) {
    it(`after ${fault === 'truncate' ? 'a frame 2 bytes short' : `the wrong ${fault} id`}, drops the connection and is in step again within a poll interval plus the timeout`, async () => {
      const { peer, recorder, modbus } = await start((p) => p.exceptionAt.add(550));
      await waitFor(() => allGoodSince(recorder, 0), 'good readings');
      await new Promise((r) => setTimeout(r, 3 * POLL_MS));
      const faultAt = Date.now();
      peer.garbleNext = fault;
      await waitFor(() => peer.garbleNext === undefined, 'the garbled answer to be sent');
      await waitFor(
        () => recorder.samples.some((s) => s.ts >= faultAt && s.quality === 'bad' && s.point !== 'DEV.h550' && s.point !== 'DEV.h600'),
        'the read it spoiled to be marked bad',
      );
      const spoiled = recorder.samples.find((s) => s.ts >= faultAt && s.quality === 'bad' && s.point !== 'DEV.h550' && s.point !== 'DEV.h600')!;
      expect(spoiled.reason).toMatch(reason);
      const recovered = Date.now();
      await waitFor(() => allGoodSince(recorder, recovered), 'every point good again', 5_000);
      expect(Date.now() - faultAt).toBeLessThan(POLL_MS + TIMEOUT_MS + 600);
      expectValues(recorder);
      expect(recorder.latest('DEV.h550')?.reason).toBe('illegal data address 550 (holding, modbus exception 2)');
      expect(modbus.stats().reconnects).toBe(1);
      expect(peer.connections).toBe(2);
      // the other reads stayed good, so the source never looked offline: no comms loss
      expect(recorder.of('rtu-x.online').map((s) => s.value)).toEqual([true]);
      expect(commsLossRaisedAt(recorder.samples, 'rtu-x', COMMS_LOSS_DELAY_MS)).toBeUndefined();
    });
  }
});

describe('Modbus source against a peer that never answers one read', () => {
  it('reconnects after each timeout and goes on with the next read, so the other reads stay good', async () => {
    const { peer, recorder, modbus } = await start((p) => p.silentAt.add(597));
    await waitFor(() => modbus.stats().reconnects >= 3, 'a few polls');
    const since = Date.now();
    await waitFor(() => ['DEV.h548', 'DEV.c0', 'DEV.c1'].every((id) => recorder.of(id).some((s) => s.ts >= since && s.quality === 'good')), 'the reads after the silent one');
    for (const id of ['DEV.h596', 'DEV.h597', 'DEV.h598']) expect(recorder.latest(id), id).toMatchObject({ quality: 'bad', reason: 'timeout' });
    expect(recorder.latest('DEV.c1')).toMatchObject({ value: true, quality: 'good' });
    expect(peer.connections).toBe(modbus.stats().reconnects + 1);
    expect(recorder.of('rtu-x.online').map((s) => s.value)).toEqual([true]);
  });
});

describe('Modbus comms loss', () => {
  it('a device answering only exceptions looks offline from its first poll and raises comms loss after the delay, without reconnecting', async () => {
    const { peer, recorder, modbus } = await start((p) => (p.onlyException = 6));
    await waitFor(() => recorder.latest('rtu-x.online') !== undefined, 'the online signal');
    expect(recorder.latest('rtu-x.online')).toMatchObject({ value: false, quality: 'good', reason: 'no good reading (server device busy (holding 548–551, modbus exception 6))' });
    await waitFor(() => commsLossRaisedAt(recorder.samples, 'rtu-x', COMMS_LOSS_DELAY_MS) !== undefined, 'comms loss', 3 * COMMS_LOSS_DELAY_MS);
    expect(recorder.of('rtu-x.online').map((s) => s.value)).toEqual([false]);
    for (const p of points) expect(recorder.latest(p.id)?.quality, p.id).toBe('bad');
    expect(recorder.latest('DEV.c0')?.reason).toBe('server device busy (coil 0–1, modbus exception 6)');
    expect(modbus.stats()).toMatchObject({ online: false, reconnects: 0 });
    expect(peer.connections).toBe(1);

    // it clears only on a good reading
    peer.onlyException = undefined;
    await waitFor(() => recorder.latest('rtu-x.online')?.value === true, 'back online');
    expect(recorder.samples.filter((s) => s.point !== 'rtu-x.online' && s.ts >= recorder.latest('rtu-x.online')!.ts).some((s) => s.quality === 'good')).toBe(true);
  });

  it('a device that was good and turns to exceptions goes offline and raises comms loss after the delay', async () => {
    const { peer, recorder } = await start();
    await waitFor(() => recorder.latest('rtu-x.online')?.value === true, 'online');
    peer.onlyException = 2;
    await waitFor(() => commsLossRaisedAt(recorder.samples, 'rtu-x', COMMS_LOSS_DELAY_MS) !== undefined, 'comms loss', 3 * COMMS_LOSS_DELAY_MS);
    expect(recorder.of('rtu-x.online').map((s) => s.value)).toEqual([true, false]);
  });

  it('a device whose every answer is out of step reconnects with back-off, never looks online, raises comms loss, and warns once', async () => {
    const { peer, recorder, modbus, lines } = await start((p) => (p.garbleAll = 'transaction'));
    await waitFor(() => commsLossRaisedAt(recorder.samples, 'rtu-x', COMMS_LOSS_DELAY_MS) !== undefined, 'comms loss', 3 * COMMS_LOSS_DELAY_MS);
    await waitFor(() => modbus.stats().reconnects >= 3, 'a few reconnections');
    expect(recorder.of('rtu-x.online').map((s) => s.value)).toEqual([false]);
    expect(recorder.latest('rtu-x.online')!.reason).toMatch(/^no good reading \(out of step: transaction id/);
    expect(peer.connections).toBe(modbus.stats().reconnects + 1);
    // back-off: far fewer connections than polls
    expect(peer.connections).toBeLessThan((2 * COMMS_LOSS_DELAY_MS) / POLL_MS);
    expect(lines.filter((l) => / reconnecting$/.test(l.msg))).toHaveLength(1);
    expect(lines.filter((l) => / connected$/.test(l.msg))).toHaveLength(1);
  });

  it('a refused connection looks offline at once and raises comms loss after the delay', async () => {
    const probe = await startRawPeer();
    const port = probe.port;
    await probe.close();
    const { recorder } = await start(undefined, port);
    await waitFor(() => commsLossRaisedAt(recorder.samples, 'rtu-x', COMMS_LOSS_DELAY_MS) !== undefined, 'comms loss', 3 * COMMS_LOSS_DELAY_MS);
    expect(recorder.of('rtu-x.online')).toEqual([expect.objectContaining({ value: false, reason: 'not connected (ECONNREFUSED)' })]);
  });
});
