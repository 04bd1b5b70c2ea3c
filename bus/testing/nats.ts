/**
 * For tests against a real nats-server: the one at NATS_URL (default nats://127.0.0.1:4222), names of
 * their own for each test (removed after), and a server of a test's own on a free loopback port (with
 * JetStream in a temporary folder) that it may stop and start again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export const natsUrl = (): string => process.env.NATS_URL || 'nats://127.0.0.1:4222';

/** a subject prefix no other test uses: its streams are `<prefix>_<site>` */
export function uniquePrefix(): string {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** deletes every stream named `<prefix>_…` and every key-value bucket of that prefix (a test's own) */
export async function deleteStreams(url: string, prefix: string): Promise<number> {
  const nc = await connect({ servers: url, timeout: 3000 });
  try {
    const jsm = await jetstreamManager(nc);
    let deleted = 0;
    for await (const name of jsm.streams.names()) {
      // the prefix's streams, and its key-value buckets (the site leases: a bucket is a stream KV_<bucket>)
      if (name.startsWith(`${prefix}_`) || name.startsWith(`KV_${prefix}_`)) {
        await jsm.streams.delete(name);
        deleted++;
      }
    }
    return deleted;
  } finally {
    await nc.close();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface NatsServerChild {
  url: string;
  port: number;
  /** starts it (again), on the same port and folder; resolves once it listens */
  start(): Promise<void>;
  /** stops it (SIGTERM, then SIGKILL after 5 s; or SIGKILL at once, a crash); resolves once it exited */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** stops it and removes its folder */
  close(): Promise<void>;
}

/**
 * A nats-server of the test's own: `nats-server -a 127.0.0.1 -p <free port> -js -sd <temporary folder>`, and
 * `extra` arguments (a cluster node's name and routes); `port` when it must be known before (a cluster).
 */
export async function startNatsServer(extra: string[] = [], port?: number, jetstream = true): Promise<NatsServerChild> {
  port ??= await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'ketwin-nats-'));
  let child: ChildProcess | undefined;
  let output = '';
  const self: NatsServerChild = {
    url: `nats://127.0.0.1:${port}`,
    port,
    async start() {
      if (child) return;
      const started = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), ...(jetstream ? ['-js', '-sd', dir] : []), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      started.stdout!.on('data', (d: Buffer) => void (output += d.toString()));
      started.stderr!.on('data', (d: Buffer) => void (output += d.toString()));
      const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
      for (let i = 0; i < 100; i++) {
        if (await listening(port)) return;
        if (started.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      started.kill('SIGKILL');
      await exited;
      child = undefined;
      throw new Error(`nats-server on port ${port} did not start:\n${output.slice(-2000)}`);
    },
    async stop(signal = 'SIGTERM') {
      const running = child;
      if (!running) return;
      child = undefined;
      if (running.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill(signal);
      const kill = setTimeout(() => running.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(kill);
    },
    async close() {
      await self.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}

/** Three nats-servers with JetStream clustered on loopback (cluster "ketwin-test", nodes n1–n3, each routing to the others). */
export async function startNatsCluster(size = 3): Promise<{ nodes: NatsServerChild[]; urls: string[]; close(): Promise<void> }> {
  const clientPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = routePorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const nodes = await Promise.all(
    clientPorts.map((port, i) => startNatsServer(['-n', `n${i + 1}`, '--cluster_name', 'ketwin-test', '--cluster', `nats://127.0.0.1:${routePorts[i]}`, '--routes', routes], port)),
  );
  return { nodes, urls: nodes.map((n) => n.url), close: async () => void (await Promise.all(nodes.map((n) => n.close()))) };
}
