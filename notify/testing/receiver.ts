/** A webhook receiver on loopback (node:http, port 0) that checks signatures, for tests and the bench. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDEMPOTENCY_HEADER, verifySignature } from '../webhook/signature.ts';

export interface Received {
  at: number;
  key: string;
  headers: IncomingHttpHeaders;
  body: string;
  signature: ReturnType<typeof verifySignature>;
  /** the status answered; undefined while hanging */
  status?: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** distinct idempotency keys that were answered 2xx */
  accepted: Set<string>;
  /** 'ok' answers 204, 'fail' 503, 'hang' never answers, 'reject' 400 */
  mode: 'ok' | 'fail' | 'hang' | 'reject';
  onReceive?: (r: Received) => void;
  close(): Promise<void>;
}

/** `now` is the receiver's clock for the timestamp check (a virtual clock in escalation tests) */
export async function startReceiver(secret: string, mode: Receiver['mode'] = 'ok', now: () => number = Date.now): Promise<Receiver> {
  const received: Received[] = [];
  const accepted = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r: Received = {
        at: Date.now(),
        key: String(req.headers[IDEMPOTENCY_HEADER]),
        headers: req.headers,
        body,
        signature: verifySignature({ secret, body, headers: req.headers, nowMs: now() }),
      };
      received.push(r);
      receiver.onReceive?.(r);
      if (receiver.mode === 'hang') return;
      r.status = !r.signature.ok ? 401 : receiver.mode === 'fail' ? 503 : receiver.mode === 'reject' ? 400 : 204;
      if (r.status === 204) accepted.add(r.key);
      res.writeHead(r.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    accepted,
    mode,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}

/** resolves when `check` holds, polling every 10 ms; rejects after `ms` */
export async function until(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
