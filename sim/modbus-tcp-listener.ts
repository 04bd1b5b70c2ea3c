import { createServer, type Socket } from 'node:net';
import type { Table } from './register-image.ts';

/** What a read gets: words (holding/input) or bits (coils/discrete), an exception code, or no answer at all. */
export type ReadAnswer = { words: number[] } | { bits: boolean[] } | { exception: number } | 'silent';

export interface ModbusTcpHandlers {
  read(table: Table, address: number, quantity: number): ReadAnswer;
  /** a write function code arrived (it is refused with exception 1) */
  write(functionCode: number): void;
}

const READS: Record<number, { table: Table; max: number }> = {
  1: { table: 'coil', max: 2000 },
  2: { table: 'discrete', max: 2000 },
  3: { table: 'holding', max: 125 },
  4: { table: 'input', max: 125 },
};
const WRITES = new Set([5, 6, 15, 16, 22, 23]);

/**
 * A small Modbus TCP server (MBAP framing, Modbus Application Protocol v1.1b3): answers function
 * codes 1–4 from the handlers, refuses writes with exception 1 (Illegal Function), any other
 * function with exception 1, and a bad quantity with exception 3. Requests are answered at once,
 * in order, several per packet if the client pipelines them.
 */
export interface ModbusTcpServer {
  /** stops listening and drops every connection (a device going off the network) */
  close(): Promise<void>;
}

export function listenModbusTcp(host: string, port: number, unitId: number, handlers: ModbusTcpHandlers): Promise<ModbusTcpServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serve(socket, unitId, handlers);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve({
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}

function serve(socket: Socket, unitId: number, handlers: ModbusTcpHandlers) {
  socket.setNoDelay(true);
  socket.on('error', () => {}); // a client hanging up is not the server's problem
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const out: Buffer[] = [];
    while (pending.length >= 8) {
      const length = pending.readUInt16BE(4); // unit id + PDU
      if (pending.length < 6 + length) break;
      const frame = pending.subarray(0, 6 + length);
      pending = pending.subarray(6 + length);
      const reply = answer(frame, unitId, handlers);
      if (reply) out.push(reply);
    }
    if (out.length > 0) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  });
}

function answer(frame: Buffer, unitId: number, handlers: ModbusTcpHandlers): Buffer | undefined {
  const unit = frame[6]!;
  if (unitId !== 255 && unit !== unitId && unit !== 0) return undefined; // not addressed to this device
  const fc = frame[7]!;
  const pdu = (body: Buffer) => {
    const reply = Buffer.alloc(7 + body.length);
    frame.copy(reply, 0, 0, 4); // transaction and protocol ids
    reply.writeUInt16BE(1 + body.length, 4);
    reply[6] = unit;
    body.copy(reply, 7);
    return reply;
  };
  const exception = (code: number) => pdu(Buffer.from([fc | 0x80, code]));
  if (WRITES.has(fc)) {
    handlers.write(fc);
    return exception(1);
  }
  const read = READS[fc];
  if (!read || frame.length < 12) return exception(1);
  const address = frame.readUInt16BE(8);
  const quantity = frame.readUInt16BE(10);
  if (quantity < 1 || quantity > read.max) return exception(3);
  if (address + quantity > 65536) return exception(2);
  const result = handlers.read(read.table, address, quantity);
  if (result === 'silent') return undefined;
  if ('exception' in result) return exception(result.exception);
  if ('words' in result) {
    const body = Buffer.alloc(2 + quantity * 2);
    body[0] = fc;
    body[1] = quantity * 2;
    for (let i = 0; i < quantity; i++) body.writeUInt16BE((result.words[i] ?? 0) & 0xffff, 2 + i * 2);
    return pdu(body);
  }
  const bytes = Math.ceil(quantity / 8);
  const body = Buffer.alloc(2 + bytes);
  body[0] = fc;
  body[1] = bytes;
  for (let i = 0; i < quantity; i++) if (result.bits[i]) body[2 + (i >> 3)]! |= 1 << (i & 7);
  return pdu(body);
}
