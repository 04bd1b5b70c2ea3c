import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModbusSource, Point } from '../../model/index.ts';
import { findFreePort } from '../../sim/index.ts';
import { createRecorder, waitFor } from '../test-support.ts';
import { createModbusSource } from './modbus-source.ts';

/** Debian's python3-pymodbus lives in the system interpreter (a pyenv python3 may shadow it on PATH) */
const PYTHON = process.env.KETWIN_PYTHON ?? '/usr/bin/python3';
const script = fileURLToPath(new URL('./testdata/pymodbus-server.py', import.meta.url));

const TYPES = [
  ['int16', -1234],
  ['uint16', 54321],
  ['int32', -123456789],
  ['uint32', 3_000_000_000],
  ['float32', 3.14159],
  ['float64', -12345.678901234],
] as const;
const ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;

type Row = { point: Point; expected: number | boolean };
const rows: Row[] = [];
const spec: Record<'holding' | 'input' | 'coil' | 'discrete', unknown[]> = { holding: [], input: [], coil: [], discrete: [] };
const point = (name: string, register: Point['register']): Point => ({ asset: 'PY', name, id: `PY.${name}`, unit: '%', source: 'py', staleAfterMs: 10_000, register });

let address = 0;
for (const [type, value] of TYPES) {
  for (const order of ORDERS) {
    rows.push({ point: point(`${type}_${order.toLowerCase()}`, { table: 'holding', address, type, order, scale: 1, offset: 0 }), expected: value });
    spec.holding.push([address, type, order, value]);
    address += type === 'float64' ? 4 : type.endsWith('16') ? 1 : 2;
  }
}
// input registers, with scale and offset: raw 2345 × 0.1 − 40 = 194.5
spec.input.push([10, 'int16', 'ABCD', 2345], [12, 'float32', 'CDAB', 61.5]);
rows.push({ point: point('scaled', { table: 'input', address: 10, type: 'int16', order: 'ABCD', scale: 0.1, offset: -40 }), expected: 194.5 });
rows.push({ point: point('input_float', { table: 'input', address: 12, type: 'float32', order: 'CDAB', scale: 1, offset: 0 }), expected: 61.5 });
for (const [table, addr, value] of [['coil', 0, true], ['coil', 1, false], ['coil', 5, true], ['discrete', 2, true], ['discrete', 3, false]] as const) {
  spec[table].push([addr, value]);
  rows.push({ point: point(`${table}_${addr}`, { table, address: addr, type: 'bool', order: 'ABCD', scale: 1, offset: 0 }), expected: value });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function startPymodbus(framing: 'tcp' | 'rtu'): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await findFreePort();
  const server: ChildProcess = spawn(PYTHON, [script, String(port), JSON.stringify(spec), framing], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const stop = async () => {
    if (server.exitCode !== null) return;
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 15_000;
  while (!(await portOpen(port))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`pymodbus server did not start (is Debian python3-pymodbus installed?): ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, stop };
}

describe('Modbus source against a pymodbus server', () => {
  let server: { port: number; stop(): Promise<void> };
  let port: number;
  beforeAll(async () => {
    server = await startPymodbus('tcp');
    port = server.port;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('decodes every type in every byte and word order, scaled input registers, coils and discrete inputs', async () => {
    const source: ModbusSource = { id: 'py', protocol: 'modbus', transport: 'tcp', endpoint: `tcp://127.0.0.1:${port}`, unitId: 1, pollIntervalMs: 200, timeoutMs: 1000, staleAfterMs: 10_000 };
    const points = rows.map((r) => ({ ...r.point, source: 'py' }));
    const recorder = createRecorder();
    const modbus = createModbusSource({ site: 'py-site', source, points });
    try {
      await modbus.start(recorder.sink);
      await waitFor(() => points.every((p) => recorder.latest(p.id)), 'a sample of every point');
    } finally {
      await modbus.stop();
    }
    for (const { point: p, expected } of rows) {
      const sample = recorder.latest(p.id)!;
      expect(sample.quality, `${p.id}: ${sample.reason}`).toBe('good');
      if (typeof expected === 'boolean') expect(sample.value, p.id).toBe(expected);
      else if (p.register!.type === 'float32') expect(sample.value as number, p.id).toBeCloseTo(expected, 4);
      else expect(sample.value as number, p.id).toBeCloseTo(expected, 9);
    }
    expect(rows.length).toBe(6 * 4 + 2 + 5);
  });
});

describe('Modbus RTU over TCP against a pymodbus server speaking RTU frames', () => {
  it('reads raw RTU frames (CRC and all) through a TCP socket', async () => {
    const server = await startPymodbus('rtu');
    const source: ModbusSource = { id: 'py', protocol: 'modbus', transport: 'rtu-over-tcp', endpoint: `tcp://127.0.0.1:${server.port}`, unitId: 1, pollIntervalMs: 200, timeoutMs: 1000, staleAfterMs: 10_000 };
    const picked = rows.filter((r) => ['PY.float64_cdab', 'PY.int32_badc', 'PY.scaled', 'PY.coil_5'].includes(r.point.id));
    const recorder = createRecorder();
    const modbus = createModbusSource({ site: 'py-site', source, points: picked.map((r) => ({ ...r.point, source: 'py' })) });
    try {
      await modbus.start(recorder.sink);
      await waitFor(() => picked.every((r) => recorder.latest(r.point.id)), 'a sample of every point');
    } finally {
      await modbus.stop();
      await server.stop();
    }
    for (const { point: p, expected } of picked) {
      expect(recorder.latest(p.id)?.quality, p.id).toBe('good');
      if (typeof expected === 'boolean') expect(recorder.latest(p.id)?.value).toBe(expected);
      else expect(recorder.latest(p.id)?.value as number, p.id).toBeCloseTo(expected, 9);
    }
  });
});
