import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModbusSource } from '../../model/index.ts';
import { createRecorder, waitFor } from '../test-support.ts';
import { createModbusSource } from './modbus-source.ts';
import { pymodbusSerialMissing, startPymodbus, type Pymodbus, type SerialLine } from './testdata/pymodbus.ts';
import { openPtyPair, socatMissing, type PtyPair } from './testdata/pty-pair.ts';
import { expectDecoded, rows, spec } from './testdata/typed-points.ts';

// A pty carries no parity bit (Linux drops PARENB and refuses a change that only asks for it),
// so the line is 8N2: the Modbus serial line spec's framing when there is no parity.
const LINE: SerialLine = { baudRate: 19200, parity: 'none', dataBits: 8, stopBits: 2 };
const UNIT = 3;

const missing = socatMissing() ?? pymodbusSerialMissing();
if (missing) console.warn(`rtu-serial.test.ts: the serial-line tests are skipped: ${missing}`);

/** CRC-16/MODBUS (polynomial 0xA001 reflected, initial 0xFFFF), as the RTU frame carries it, low byte first. */
function crc16(bytes: Buffer): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

const serialSource = (endpoint: string, over: Partial<ModbusSource> = {}): ModbusSource => ({
  id: 'py',
  protocol: 'modbus',
  transport: 'rtu',
  endpoint,
  serial: LINE,
  unitId: UNIT,
  pollIntervalMs: 100,
  timeoutMs: 300,
  staleAfterMs: 10_000,
  ...over,
});

describe.skipIf(missing !== undefined)('Modbus RTU on a serial line: a pty pair (socat) with a pymodbus serial slave on the other end', () => {
  let dir: string;
  let pty: PtyPair;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ketwin-rtu-'));
    pty = await openPtyPair(dir);
  });
  afterAll(async () => {
    await pty?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes every type, turns bad with "timeout" and offline when the slave stops, recovers when it returns, and sends only read function codes', async () => {
    const startSlave = () => startPymodbus(spec, { transport: 'rtu', device: pty.slaveEnd, line: LINE });
    let slave: Pymodbus = await startSlave();
    const points = rows.map((r) => r.point);
    const recorder = createRecorder();
    const modbus = createModbusSource({ site: 'py-site', source: serialSource(`serial://${pty.masterEnd}`), points, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    try {
      await modbus.start(recorder.sink);
      await waitFor(() => points.every((p) => recorder.latest(p.id)), 'a sample of every point');
      expectDecoded(recorder, rows);
      expect(recorder.latest('py.online')).toMatchObject({ value: true, quality: 'good' });

      // the slave goes quiet; the serial port itself stays open, so only timeouts tell
      const lastGood = new Map(points.map((p) => [p.id, recorder.latest(p.id)!.value]));
      await slave.stop();
      await waitFor(() => recorder.latest('py.online')?.value === false, 'the source reported offline');
      await waitFor(() => points.every((p) => recorder.latest(p.id)?.quality === 'bad'), 'every point bad');
      expect(recorder.latest('py.online')).toMatchObject({ value: false, reason: 'no good reading (timeout)' });
      for (const p of points) expect(recorder.latest(p.id), p.id).toMatchObject({ quality: 'bad', reason: 'timeout', value: lastGood.get(p.id) }); // last known value kept
      expect(modbus.stats()).toMatchObject({ online: false, reconnects: 0 });

      const restartedAt = Date.now();
      slave = await startSlave();
      await waitFor(() => points.every((p) => recorder.of(p.id).some((s) => s.quality === 'good' && s.ts >= restartedAt)), 'every point back');
      expectDecoded(recorder, rows);
      expect(recorder.latest('py.online')).toMatchObject({ value: true });
      expect(modbus.stats()).toMatchObject({ online: true, reconnects: 0 }); // the port was kept open throughout
    } finally {
      await modbus.stop();
      await slave.stop();
    }

    // what crossed the line, read from socat's dump: nothing but 8-byte read requests to unit 3 with a good CRC
    await new Promise((r) => setTimeout(r, 100));
    const sent = pty.sentByMaster();
    expect(sent.length % 8, 'whole 8-byte read requests').toBe(0);
    const codes = new Set<number>();
    for (let at = 0; at < sent.length; at += 8) {
      const frame = sent.subarray(at, at + 8);
      expect(frame[0], `frame at byte ${at}: unit`).toBe(UNIT);
      codes.add(frame[1]!);
      expect(frame.readUInt16LE(6), `frame at byte ${at}: CRC`).toBe(crc16(frame.subarray(0, 6)));
    }
    expect(sent.length / 8).toBeGreaterThan(8);
    expect([...codes].sort()).toEqual([1, 2, 3, 4]); // read coils, discrete inputs, holding and input registers; no write code
  });

  it('reports a serial device that cannot be opened, naming it, and keeps retrying', async () => {
    const absent = join(dir, 'no-such-tty');
    const recorder = createRecorder();
    const modbus = createModbusSource({
      site: 'py-site',
      source: serialSource(`serial://${absent}`),
      points: rows.slice(0, 2).map((r) => r.point),
      reconnect: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    try {
      await modbus.start(recorder.sink);
      await waitFor(() => recorder.latest('py.online') !== undefined, 'the outage to be reported');
      expect(recorder.latest('py.online')).toMatchObject({ value: false, reason: expect.stringMatching(/^not connected \(.*no-such-tty/) });
      expect(recorder.latest(rows[0]!.point.id)).toMatchObject({ quality: 'bad', reason: recorder.latest('py.online')!.reason });
    } finally {
      await modbus.stop();
    }
  });
});

describe('Modbus RTU serial line configuration', () => {
  const points = rows.slice(0, 1).map((r) => r.point);
  const make = (over: Partial<ModbusSource>) => () => createModbusSource({ site: 'py-site', source: serialSource('serial:///dev/ttyUSB0', over), points });

  it('accepts a plain RTU line and refuses bad settings, naming the device and the setting', () => {
    expect(make({})).not.toThrow();
    expect(make({ serial: undefined })).not.toThrow(); // 9600 8N1, the schema's default
    expect(make({ serial: { ...LINE, baudRate: 0 } })).toThrow(/Modbus source py \(serial:\/\/\/dev\/ttyUSB0\): serial baudRate 0 must be a whole number/);
    expect(make({ serial: { ...LINE, baudRate: 9600.5 } })).toThrow(/serial baudRate 9600.5/);
    expect(make({ serial: { ...LINE, parity: 'mark' as 'none' } })).toThrow(/serial parity "mark" must be one of none, even, odd/);
    expect(make({ serial: { ...LINE, dataBits: 7 } })).toThrow(/serial dataBits 7 must be 8: Modbus RTU frames are 8-bit bytes/);
    expect(make({ serial: { ...LINE, stopBits: 3 as 1 } })).toThrow(/serial stopBits 3 must be 1 or 2/);
    expect(make({ endpoint: 'serial://ttyUSB0' })).toThrow(/transport rtu needs an endpoint like serial:\/\/\/dev\/ttyUSB0/);
    expect(make({ endpoint: 'tcp://127.0.0.1:502' })).toThrow(/transport rtu needs an endpoint like serial/);
    expect(make({ unitId: 0 })).toThrow(/unit id 0 is the RTU broadcast address/);
    expect(make({ transport: 'tcp', endpoint: 'tcp://127.0.0.1:502' })).toThrow(/serial settings only apply to transport rtu/);
    expect(make({ serial: { ...LINE, dataBits: 7 } })).toThrow(expect.objectContaining({ code: 'COLLECTOR_CONFIG' }));
  });
});
