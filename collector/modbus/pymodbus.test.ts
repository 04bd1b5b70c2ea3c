import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModbusSource } from '../../model/index.ts';
import { createRecorder, waitFor } from '../test-support.ts';
import { createModbusSource } from './modbus-source.ts';
import { startPymodbus, type Pymodbus } from './testdata/pymodbus.ts';
import { expectDecoded, rows, spec } from './testdata/typed-points.ts';

describe('Modbus source against a pymodbus server', () => {
  let server: Pymodbus;
  beforeAll(async () => {
    server = await startPymodbus(spec, { transport: 'tcp' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('decodes every type in every byte and word order, scaled input registers, coils and discrete inputs', async () => {
    const source: ModbusSource = {
      id: 'py',
      protocol: 'modbus',
      transport: 'tcp',
      endpoint: `tcp://127.0.0.1:${server.port}`,
      unitId: 1,
      pollIntervalMs: 200,
      timeoutMs: 1000,
      staleAfterMs: 10_000,
    };
    const points = rows.map((r) => r.point);
    const recorder = createRecorder();
    const modbus = createModbusSource({ site: 'py-site', source, points });
    try {
      await modbus.start(recorder.sink);
      await waitFor(() => points.every((p) => recorder.latest(p.id)), 'a sample of every point');
    } finally {
      await modbus.stop();
    }
    expectDecoded(recorder, rows);
    expect(rows.length).toBe(6 * 4 + 2 + 5);
  });
});

describe('Modbus RTU over TCP against a pymodbus server speaking RTU frames', () => {
  it('reads raw RTU frames (CRC and all) through a TCP socket', async () => {
    const server = await startPymodbus(spec, { transport: 'rtu-over-tcp' });
    const source: ModbusSource = {
      id: 'py',
      protocol: 'modbus',
      transport: 'rtu-over-tcp',
      endpoint: `tcp://127.0.0.1:${server.port}`,
      unitId: 1,
      pollIntervalMs: 200,
      timeoutMs: 1000,
      staleAfterMs: 10_000,
    };
    const picked = rows.filter((r) => ['PY.float64_cdab', 'PY.int32_badc', 'PY.scaled', 'PY.coil_5'].includes(r.point.id));
    const recorder = createRecorder();
    const modbus = createModbusSource({ site: 'py-site', source, points: picked.map((r) => r.point) });
    try {
      await modbus.start(recorder.sink);
      await waitFor(() => picked.every((r) => recorder.latest(r.point.id)), 'a sample of every point');
    } finally {
      await modbus.stop();
      await server.stop();
    }
    expectDecoded(recorder, picked);
  });
});
