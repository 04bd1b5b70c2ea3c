import { connect, type Socket } from 'node:net';
import { expectedBytes, exceptionRefusal, LinkFault, noDataRefusal, type ModbusLink, type ReadOutcome } from './modbus-link.ts';
import type { ReadRequest, Table } from './plan-requests.ts';

const FUNCTION_CODES: Record<Table, number> = { coil: 1, discrete: 2, holding: 3, input: 4 };
/** transaction id, protocol id, length, unit id */
const MBAP_BYTES = 7;

interface Pending {
  transaction: number;
  functionCode: number;
  request: ReadRequest;
  resolve(outcome: ReadOutcome): void;
  reject(fault: LinkFault): void;
  timer: NodeJS.Timeout;
}

/**
 * Modbus TCP (MBAP framing, Modbus Messaging on TCP/IP Implementation Guide v1.0b), checked
 * strictly, since a device answers whatever it answers: a reply is taken only when its
 * transaction id, protocol id, unit id and function code are the request's and its lengths
 * agree. One that does not is a `frame` fault (the stream is out of step: the caller reopens);
 * a well-framed exception or a reply without the data asked for is a refusal. Read function
 * codes 1–4 only: it has no way to write.
 */
export function openMbapLink(host: string, port: number, unitId: number, timeoutMs: number): Promise<ModbusLink> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    const connectTimer = setTimeout(() => {
      socket.destroy();
      reject(new LinkFault('connection', 'not connected (ETIMEDOUT)'));
    }, timeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      reject(new LinkFault('connection', `not connected (${error.code ?? error.message})`));
    });
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      resolve(createLink(socket, unitId, timeoutMs));
    });
  });
}

function createLink(socket: Socket, unitId: number, timeoutMs: number): ModbusLink {
  let open = true;
  let received: Buffer = Buffer.alloc(0);
  let pending: Pending | undefined;
  let transaction = 0;
  let lastError: string | undefined;

  const settle = (): Pending | undefined => {
    const current = pending;
    pending = undefined;
    if (current) clearTimeout(current.timer);
    return current;
  };
  const outOfStep = (detail: string) => {
    received = Buffer.alloc(0);
    settle()?.reject(new LinkFault('frame', `out of step: ${detail}`));
  };

  /** takes the answer to the pending read off the front of what was received, once it is whole */
  const parse = () => {
    const current = pending;
    if (!current || received.length < MBAP_BYTES) return;
    const id = received.readUInt16BE(0);
    const protocol = received.readUInt16BE(2);
    const length = received.readUInt16BE(4); // unit id + PDU
    if (protocol !== 0) return outOfStep(`protocol id ${protocol} where 0 was expected`);
    if (length < 3 || length > 254) return outOfStep(`MBAP length ${length}`);
    if (received.length < 6 + length) return; // the rest is still on its way (or never comes: a timeout)
    const frame = received.subarray(0, 6 + length);
    received = received.subarray(6 + length);
    if (id !== current.transaction) return outOfStep(`transaction id ${id} where ${current.transaction} was expected`);
    if (frame[6] !== unitId) return outOfStep(`unit id ${frame[6]} where ${unitId} was expected`);
    const functionCode = frame[7]!;
    if (functionCode === (current.functionCode | 0x80)) {
      if (length !== 3) return outOfStep(`an exception reply of length ${length}`);
      settle();
      return current.resolve(exceptionRefusal(frame[8]!, current.request));
    }
    if (functionCode !== current.functionCode) return outOfStep(`function code ${functionCode} where ${current.functionCode} was expected`);
    const byteCount = frame[8]!;
    if (length !== 3 + byteCount) return outOfStep(`byte count ${byteCount} in a frame of length ${length}`);
    const { request } = current;
    settle();
    const expected = expectedBytes(request);
    if (byteCount !== expected) return current.resolve(noDataRefusal(request, byteCount, expected));
    const words: number[] = [];
    const bits: boolean[] = [];
    if (request.table === 'holding' || request.table === 'input') {
      for (let i = 0; i < request.length; i++) words.push(frame.readUInt16BE(9 + i * 2));
    } else {
      for (let i = 0; i < request.length; i++) bits.push((frame[9 + (i >> 3)]! & (1 << (i & 7))) !== 0);
    }
    current.resolve({ kind: 'data', words, bits });
  };

  socket.on('data', (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    parse();
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    lastError = error.code ?? error.message;
  });
  socket.on('close', () => {
    open = false;
    settle()?.reject(new LinkFault('connection', `not connected (${lastError ?? 'closed by the device'})`));
  });

  return {
    get isOpen() {
      return open;
    },
    reopenAfterTimeout: true,
    read(request) {
      if (!open) return Promise.reject(new LinkFault('connection', `not connected (${lastError ?? 'closed'})`));
      if (pending) return Promise.reject(new Error('a Modbus TCP link reads one request at a time'));
      transaction = (transaction % 0xffff) + 1;
      const functionCode = FUNCTION_CODES[request.table];
      const frame = Buffer.allocUnsafe(12);
      frame.writeUInt16BE(transaction, 0);
      frame.writeUInt16BE(0, 2);
      frame.writeUInt16BE(6, 4);
      frame[6] = unitId;
      frame[7] = functionCode;
      frame.writeUInt16BE(request.address, 8);
      frame.writeUInt16BE(request.length, 10);
      return new Promise<ReadOutcome>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (settle()) reject(new LinkFault('timeout', 'timeout'));
        }, timeoutMs);
        pending = { transaction, functionCode, request, resolve, reject, timer };
        socket.write(frame);
        parse(); // bytes already waiting are a previous answer: out of step at once
      });
    },
    close() {
      open = false;
      settle()?.reject(new LinkFault('connection', 'not connected (closed)'));
      socket.destroy();
    },
  };
}
