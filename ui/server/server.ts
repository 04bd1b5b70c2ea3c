import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type Koa from 'koa';
import { CLOSE_STREAMS } from './app.ts';

export interface StartServerOptions {
  app: Koa;
  /** 0 picks a free port */
  port: number;
  /** default 127.0.0.1: there is no authentication yet */
  host?: string;
  /** after this long, connections still open are cut; default 5 s */
  graceMs?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Listens; close() stops accepting, ends event streams, lets requests in flight finish and
 * drops idle connections at once — including ones a client opened but never used (browsers
 * and undici open spare sockets), which Node's own closeIdleConnections leaves alone.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(options.app.callback());
  const inFlight = new Map<Socket, number>();
  let closing: Promise<void> | undefined;

  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.on('close', () => inFlight.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    if (closing) res.setHeader('Connection', 'close');
    res.on('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      if (closing && left === 0) socket.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      const force = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 5_000);
      force.unref();
      server.close((err) => {
        clearTimeout(force);
        if (err) reject(err);
        else resolve();
      });
      options.app.emit(CLOSE_STREAMS);
      for (const [socket, requests] of inFlight) if (requests === 0) socket.destroy();
    });
    return closing;
  };
  return { url: `http://${shown}:${port}`, close };
}
