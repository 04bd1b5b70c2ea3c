import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'mqtt';
import { systemClock } from '../../model/index.ts';

/** The shared broker the tests use (started by .ci/run when absent). */
export const SHARED_BROKER_URL = 'mqtt://127.0.0.1:1883';

/**
 * A Mosquitto of the test's own, on a free loopback port, with persistence in a temporary folder, so
 * that a test can stop and start it (a broker restart) without touching the shared one. `extraConfig`
 * adds lines (a TLS listener, a password file).
 */
export interface TestBroker {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** stops the broker (SIGTERM: it saves its persistent sessions and queued messages first) */
  stop(): Promise<void>;
  /** starts it again on the same port and persistence */
  start(): Promise<void>;
  /** stops it and removes its folder */
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export async function startTestBroker(
  options: { port?: number; listenerConfig?: (port: number, dir: string) => string; files?: Record<string, string> } = {},
): Promise<TestBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'ketwin-mosquitto-'));
  chmodSync(dir, 0o777); // mosquitto started as root runs as the user mosquitto
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), text, { mode: 0o644 });
  const port = options.port ?? (await freePort());
  const listener = options.listenerConfig?.(port, dir) ?? `listener ${port} 127.0.0.1\nallow_anonymous true\n`;
  writeFileSync(join(dir, 'mosquitto.conf'), `${listener}persistence true\npersistence_location ${dir}/\nautosave_interval 1\nlog_dest file ${dir}/mosquitto.log\n`);
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    const deadline = systemClock.now() + 10_000;
    while (!(await answers(port))) {
      if (child.exitCode !== null || systemClock.now() > deadline) throw new Error(`mosquitto did not start on port ${port} (see ${dir}/mosquitto.log)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Ends the broker's persistent session of a client id (a clean connection with the same id), so tests leave no sessions behind. */
export async function endSession(url: string, clientId: string): Promise<void> {
  const client = connect(url, { clientId, clean: true, reconnectPeriod: 0 });
  await new Promise<void>((resolve) => {
    client.once('connect', () => resolve());
    client.once('error', () => resolve());
  });
  await client.endAsync();
}
