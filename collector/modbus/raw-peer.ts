import { createServer, type Server, type Socket } from 'node:net';

/**
 * A Modbus TCP peer for tests that misbehaves on purpose, written from the protocol and nothing
 * of ours: holding registers 0–599 hold their own address × 10 (a device with 600 registers);
 * past them it answers as the jsmodbus slave does, a well-framed reply without data; an address
 * in `exceptionAt` gets exception 02; and one-shot faults garble the next answer.
 */
export interface RawPeer {
  readonly port: number;
  /** connections accepted so far */
  readonly connections: number;
  /** addresses answered with exception 2 (illegal data address) */
  exceptionAt: Set<number>;
  /** addresses never answered at all (the connection stays open) */
  silentAt: Set<number>;
  /** answer every request with this exception code (e.g. 6, device busy) */
  onlyException: number | undefined;
  /** the next answer: 2 bytes short, with the wrong transaction id, or the wrong unit id */
  garbleNext: 'truncate' | 'transaction' | 'unit' | undefined;
  /** garble every answer so (a device nothing can be read from) */
  garbleAll: 'transaction' | undefined;
  close(): Promise<void>;
}

const REGISTERS = 600;

export function startRawPeer(): Promise<RawPeer> {
  const sockets = new Set<Socket>();
  const peer = {
    port: 0,
    connections: 0,
    exceptionAt: new Set<number>(),
    silentAt: new Set<number>(),
    onlyException: undefined as number | undefined,
    garbleNext: undefined as RawPeer['garbleNext'],
    garbleAll: undefined as RawPeer['garbleAll'],
  };

  const answer = (request: Buffer): Buffer | undefined => {
    const [fc, address, quantity] = [request[7]!, request.readUInt16BE(8), request.readUInt16BE(10)];
    if ([...peer.silentAt].some((a) => a >= address && a < address + quantity)) return undefined;
    const exception = peer.onlyException ?? ([...peer.exceptionAt].some((a) => a >= address && a < address + quantity) ? 2 : undefined);
    let pdu: Buffer;
    if (exception !== undefined) pdu = Buffer.from([fc | 0x80, exception]);
    else if (fc === 3 || fc === 4) {
      const words = address + quantity > REGISTERS ? 0 : quantity; // past its registers: no data at all
      pdu = Buffer.alloc(2 + words * 2);
      pdu[0] = fc;
      pdu[1] = words * 2;
      for (let i = 0; i < words; i++) pdu.writeUInt16BE(((address + i) * 10) & 0xffff, 2 + i * 2);
    } else {
      pdu = Buffer.alloc(2 + Math.ceil(quantity / 8)); // coils and inputs: every other one on
      pdu[0] = fc;
      pdu[1] = pdu.length - 2;
      for (let i = 0; i < quantity; i++) if ((address + i) % 2 === 1) pdu[2 + (i >> 3)]! |= 1 << (i & 7);
    }
    const reply = Buffer.alloc(7 + pdu.length);
    request.copy(reply, 0, 0, 4); // transaction and protocol ids
    reply.writeUInt16BE(1 + pdu.length, 4);
    reply[6] = request[6]!;
    pdu.copy(reply, 7);
    const garble = peer.garbleAll ?? peer.garbleNext;
    peer.garbleNext = undefined;
    if (garble === 'transaction') reply.writeUInt16BE((reply.readUInt16BE(0) + 7) & 0xffff, 0);
    if (garble === 'unit') reply[6] = (reply[6]! + 1) & 0xff;
    return garble === 'truncate' ? reply.subarray(0, reply.length - 2) : reply;
  };

  const server: Server = createServer((socket) => {
    peer.connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 12) {
        const frame = pending.subarray(0, 6 + pending.readUInt16BE(4));
        pending = pending.subarray(frame.length);
        const reply = answer(frame);
        if (reply) socket.write(reply);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      peer.port = typeof address === 'object' && address ? address.port : 0;
      resolve(
        Object.assign(peer, {
          close: () =>
            new Promise<void>((done) => {
              for (const socket of sockets) socket.destroy();
              server.close(() => done());
            }),
        }),
      );
    });
  });
}
