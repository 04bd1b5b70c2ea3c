/**
 * Worker thread of bench/notify.bench.ts: the 50 webhook receivers, off the notifier's thread
 * so that they do not compete with it for the CPU. Posts { ready: urls } once listening, then
 * one { id, at, ok } per request (at: performance.timeOrigin + performance.now(), ms).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startReceiver, type Receiver } from '../notify/testing/receiver.ts';

const { count, secret } = workerData as { count: number; secret: string };
const receivers: Receiver[] = [];
for (let i = 0; i < count; i++) {
  const r = await startReceiver(secret);
  r.onReceive = (x) => {
    const id = /<valueName>ketwin:alertId<\/valueName>\s*<value>([^<]+)<\/value>/.exec(x.body)?.[1];
    parentPort!.postMessage({ id, at: performance.timeOrigin + performance.now(), ok: x.signature.ok });
  };
  receivers.push(r);
}
parentPort!.on('message', async (m: { close?: boolean }) => {
  if (!m.close) return;
  for (const r of receivers) await r.close();
  parentPort!.postMessage({ closed: true });
});
parentPort!.postMessage({ ready: receivers.map((r) => r.url) });
