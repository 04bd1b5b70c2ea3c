import type { Point } from '../model/index.ts';
import { findFreePort } from './free-port.ts';
import { listenModbusTcp, type ModbusTcpServer, type ReadAnswer } from './modbus-tcp-listener.ts';
import { createRegisterImage, type Table } from './register-image.ts';
import { SimError } from './sim-error.ts';

/** How a register read fails: a Modbus exception code, or no answer at all. */
export type ModbusFailure = number | 'timeout';

/** The simulated RTU: a Modbus TCP server answering reads from a register image. */
export interface SimModbusServer {
  readonly endpoint: string;
  readonly port: number;
  write(point: Point, value: number | boolean): void;
  fail(pointId: string, failure: ModbusFailure): void;
  release(pointId: string): void;
  /** write requests received (a read-only client must never send one) */
  readonly writeRequests: number;
  stop(): Promise<void>;
}

export async function startSimModbusServer(points: Point[], unitId: number, port: number): Promise<SimModbusServer> {
  const image = createRegisterImage(points);
  const failures = new Map<string, ModbusFailure>();
  let writeRequests = 0;

  /** answers a read of [address, address+length) of `table`, or fails it like the device would */
  function read(table: Table, address: number, length: number): ReadAnswer {
    for (const pointId of image.pointsCovering(table, address, length)) {
      const failure = failures.get(pointId);
      if (failure === 'timeout') return 'silent'; // the device never answers
      if (failure !== undefined) return { exception: failure };
    }
    const values: number[] = [];
    for (let a = address; a < address + length; a++) {
      const value = image.read(table, a);
      if (value === undefined) return { exception: 2 };
      values.push(value);
    }
    return table === 'coil' || table === 'discrete' ? { bits: values.map((v) => v === 1) } : { words: values };
  }
  const handlers = { read, write: () => void writeRequests++ };

  const { server, port: actualPort } = await listen(handlers, unitId, port);
  return {
    endpoint: `tcp://127.0.0.1:${actualPort}`,
    port: actualPort,
    write: (point, value) => image.write(point, value),
    fail: (pointId, failure) => failures.set(pointId, failure),
    release: (pointId) => failures.delete(pointId),
    get writeRequests() {
      return writeRequests;
    },
    stop: () => server.close(),
  };
}

/** Listens on 127.0.0.1:port; port 0 picks a free one (retried if another process takes it first). */
async function listen(handlers: Parameters<typeof listenModbusTcp>[3], unitId: number, port: number): Promise<{ server: ModbusTcpServer; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const chosen = port === 0 ? await findFreePort() : port;
    try {
      return { server: await listenModbusTcp('127.0.0.1', chosen, unitId, handlers), port: chosen };
    } catch (error) {
      if (port !== 0 || attempt >= 5) throw new SimError('SIM_LISTEN', `Modbus server cannot listen on 127.0.0.1:${chosen}: ${(error as Error).message}`);
    }
  }
}
