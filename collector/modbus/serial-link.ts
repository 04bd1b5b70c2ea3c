import type { ModbusSource } from '../../model/index.ts';
import { describeFailure } from './failure-reason.ts';
import { ModbusClient } from './modbus-client.ts';
import { exceptionRefusal, LinkFault, type ModbusLink, type ReadOutcome } from './modbus-link.ts';
import type { ReadRequest } from './plan-requests.ts';

export type SerialTarget = { kind: 'rtu-over-tcp'; host: string; port: number } | { kind: 'rtu'; path: string };

/**
 * RTU frames through modbus-serial: on a serial line (`connectRTUBuffered`, node serialport), or
 * raw on a TCP socket as a transparent serial gateway passes them (`connectTelnet`; its
 * connectTcpRTUBuffered would wrap them in MBAP, which is Modbus TCP). Only its read calls are used.
 */
export async function openSerialLink(target: SerialTarget, source: ModbusSource): Promise<ModbusLink> {
  const client = new ModbusClient();
  try {
    await withTimeout(open(client, target, source), source.timeoutMs);
  } catch (error) {
    client.close(() => {});
    throw new LinkFault('connection', describeFailure(error).reason);
  }
  client.setID(source.unitId);
  client.setTimeout(source.timeoutMs);
  return {
    get isOpen() {
      return client.isOpen;
    },
    reopenAfterTimeout: false,
    async read(request) {
      try {
        const { data } = await read(client, request);
        const words = request.table === 'holding' || request.table === 'input' ? (data as number[]) : [];
        const bits = request.table === 'coil' || request.table === 'discrete' ? (data as boolean[]) : [];
        return { kind: 'data', words, bits } satisfies ReadOutcome;
      } catch (error) {
        const failure = describeFailure(error);
        if (failure.kind === 'exception') return exceptionRefusal(failure.code, request);
        throw new LinkFault(failure.kind, failure.reason);
      }
    },
    close() {
      client.close(() => {});
    },
  };
}

function open(client: ModbusClient, target: SerialTarget, source: ModbusSource): Promise<void> {
  if (target.kind === 'rtu-over-tcp') return client.connectTelnet(target.host, { port: target.port });
  const line = source.serial ?? { baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 };
  return client.connectRTUBuffered(target.path, { baudRate: line.baudRate, parity: line.parity, dataBits: line.dataBits, stopBits: line.stopBits });
}

function read(client: ModbusClient, request: ReadRequest): Promise<{ data: number[] | boolean[] }> {
  switch (request.table) {
    case 'holding':
      return client.readHoldingRegisters(request.address, request.length);
    case 'input':
      return client.readInputRegisters(request.address, request.length);
    case 'coil':
      return client.readCoils(request.address, request.length);
    case 'discrete':
      return client.readDiscreteInputs(request.address, request.length);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('connect timed out'), { errno: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
