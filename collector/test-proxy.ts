import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay for tests: a device that hangs (stops answering, connection kept open) on freeze(),
 * and comes back on thaw(); it can show a test what the client sends, and slow the answers down.
 */
export interface TestProxy {
  readonly port: number;
  /** stop passing bytes either way; the sockets stay open */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export interface TestProxyOptions {
  host?: string;
  /** sees every chunk the client sends */
  tap?: (chunk: Buffer) => void;
  /** holds every chunk of the answers this long */
  answerDelayMs?: number;
}

export function startTestProxy(targetPort: number, options: TestProxyOptions = {}): Promise<TestProxy> {
  const host = options.host ?? '127.0.0.1';
  const pairs = new Set<[Socket, Socket]>();
  let frozen = false;
  const server: Server = createServer((inbound) => {
    const outbound = connect({ host, port: targetPort });
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    inbound.on('data', (chunk: Buffer) => options.tap?.(chunk));
    for (const [from, to] of [pair, [outbound, inbound] as const]) {
      const delay = from === outbound ? (options.answerDelayMs ?? 0) : 0;
      from.on('data', (chunk) => (delay > 0 ? setTimeout(() => to.write(chunk), delay) : to.write(chunk)));
      from.on('error', () => to.destroy());
      from.on('close', () => {
        to.destroy();
        pairs.delete(pair);
      });
      if (frozen) from.pause();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        freeze() {
          frozen = true;
          for (const pair of pairs) for (const socket of pair) socket.pause();
        },
        thaw() {
          frozen = false;
          for (const pair of pairs) for (const socket of pair) socket.resume();
        },
        close: () =>
          new Promise<void>((done) => {
            for (const pair of pairs) for (const socket of pair) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
