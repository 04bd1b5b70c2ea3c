import { ServerTCP } from 'modbus-serial';
import type { Point } from '../model/index.ts';
import { findFreePort } from './free-port.ts';
import { createRegisterImage, type Table } from './register-image.ts';
import { SimError } from './sim-error.ts';

type Callback<T> = (err: Error | null, value: T) => void;
type ModbusError = Error & { modbusErrorCode?: number };

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

function exception(code: number, message: string): ModbusError {
  return Object.assign(new Error(message), { modbusErrorCode: code });
}

export async function startSimModbusServer(points: Point[], unitId: number, port: number): Promise<SimModbusServer> {
  const image = createRegisterImage(points);
  const failures = new Map<string, ModbusFailure>();
  let writeRequests = 0;

  /** answers a read of [address, address+length) of `table`, or fails it like the device would */
  function answer<T>(table: Table, address: number, length: number, callback: Callback<T>, value: () => T): void {
    for (const pointId of image.pointsCovering(table, address, length)) {
      const failure = failures.get(pointId);
      if (failure === 'timeout') return; // the device never answers
      if (failure !== undefined) return callback(exception(failure, `forced exception ${failure} on ${pointId}`), undefined as T);
    }
    for (let a = address; a < address + length; a++) {
      if (image.read(table, a) === undefined) return callback(exception(2, `no ${table} register at ${a}`), undefined as T);
    }
    callback(null, value());
  }
  const words = (table: Table, address: number, length: number) =>
    Array.from({ length }, (_, i) => image.read(table, address + i) ?? 0);
  const refuseWrite = (callback: (err: Error | null) => void) => {
    writeRequests++;
    callback(exception(1, 'the simulator is read-only'));
  };

  const vector = {
    getHoldingRegister: (addr: number, _unit: number, cb: Callback<number>) =>
      answer('holding', addr, 1, cb, () => words('holding', addr, 1)[0]!),
    getMultipleHoldingRegisters: (addr: number, length: number, _unit: number, cb: Callback<number[]>) =>
      answer('holding', addr, length, cb, () => words('holding', addr, length)),
    getInputRegister: (addr: number, _unit: number, cb: Callback<number>) =>
      answer('input', addr, 1, cb, () => words('input', addr, 1)[0]!),
    getMultipleInputRegisters: (addr: number, length: number, _unit: number, cb: Callback<number[]>) =>
      answer('input', addr, length, cb, () => words('input', addr, length)),
    getCoil: (addr: number, _unit: number, cb: Callback<boolean>) => answer('coil', addr, 1, cb, () => image.read('coil', addr) === 1),
    getDiscreteInput: (addr: number, _unit: number, cb: Callback<boolean>) =>
      answer('discrete', addr, 1, cb, () => image.read('discrete', addr) === 1),
    setRegister: (_addr: number, _value: number, _unit: number, cb: (err: Error | null) => void) => refuseWrite(cb),
    setRegisterArray: (_addr: number, _value: number[], _unit: number, cb: (err: Error | null) => void) => refuseWrite(cb),
    setCoil: (_addr: number, _value: boolean, _unit: number, cb: (err: Error | null) => void) => refuseWrite(cb),
  };

  const { server, port: actualPort } = await listen(vector, unitId, port);
  return {
    endpoint: `tcp://127.0.0.1:${actualPort}`,
    port: actualPort,
    write: (point, value) => image.write(point, value),
    fail: (pointId, failure) => failures.set(pointId, failure),
    release: (pointId) => failures.delete(pointId),
    get writeRequests() {
      return writeRequests;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** modbus-serial cannot bind port 0 (it turns 0 into 502), so a free port is found first. */
async function listen(vector: object, unitId: number, port: number): Promise<{ server: ServerTCP; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const chosen = port === 0 ? await findFreePort() : port;
    try {
      const server = await new Promise<ServerTCP>((resolve, reject) => {
        const candidate = new ServerTCP(vector, { host: '127.0.0.1', port: chosen, unitID: unitId });
        candidate.on('initialized', () => resolve(candidate));
        // 'serverError' is emitted but missing from the typings
        (candidate as unknown as NodeJS.EventEmitter).once('serverError', (error: Error) => reject(error));
      });
      server.on('socketError', () => {}); // a client hanging up is not the simulator's problem
      return { server, port: chosen };
    } catch (error) {
      if (port !== 0 || attempt >= 5) throw new SimError('SIM_LISTEN', `Modbus server cannot listen on 127.0.0.1:${chosen}: ${(error as Error).message}`);
    }
  }
}
