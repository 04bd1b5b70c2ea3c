import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ModbusSource } from '../../../model/index.ts';
import { findFreePort } from '../../../sim/index.ts';

/** Debian's python3-pymodbus lives in the system interpreter (a pyenv python3 may shadow it on PATH) */
export const PYTHON = process.env.KETWIN_PYTHON ?? '/usr/bin/python3';
const script = fileURLToPath(new URL('./pymodbus-server.py', import.meta.url));

/** What the slave holds: [address, type, order, value] per register value, [address, bool] per bit. */
export type PymodbusSpec = Record<'holding' | 'input' | 'coil' | 'discrete', unknown[]>;
export type SerialLine = NonNullable<ModbusSource['serial']>;
export type PymodbusLink = { transport: 'tcp' | 'rtu-over-tcp' } | { transport: 'rtu'; device: string; line: SerialLine };

export interface Pymodbus {
  /** the TCP port (0 on a serial line) */
  readonly port: number;
  stop(): Promise<void>;
}

/** Why pymodbus cannot serve a serial line here, or undefined when it can (python3-pymodbus, python3-serial, python3-serial-asyncio). */
export function pymodbusSerialMissing(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import pymodbus.server, serial, serial_asyncio'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} cannot run (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} lacks pymodbus or pyserial (Debian python3-pymodbus python3-serial python3-serial-asyncio): ${probe.stderr.trim().split('\n').at(-1)}`;
  return undefined;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Starts a pymodbus slave in its own process and waits until it serves. */
export async function startPymodbus(spec: PymodbusSpec, link: PymodbusLink): Promise<Pymodbus> {
  const port = link.transport === 'rtu' ? 0 : await findFreePort();
  const args = link.transport === 'rtu' ? ['rtu', link.device, JSON.stringify(spec), JSON.stringify(link.line)] : [link.transport, String(port), JSON.stringify(spec)];
  const server: ChildProcess = spawn(PYTHON, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  server.stdout!.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  server.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  };
  const serving = async () => (link.transport === 'rtu' ? stdout.includes('ready') : portOpen(port));
  const deadline = Date.now() + 15_000;
  while (!(await serving())) {
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`pymodbus server (${link.transport}) did not start (is Debian python3-pymodbus installed?): ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, stop };
}
