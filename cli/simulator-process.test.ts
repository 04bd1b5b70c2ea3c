/** The simulators' process of `ketwin start` (real OPC-UA and Modbus servers on loopback): it ends when told, and when its parent is killed outright. */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createConnection } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';

/** a parent as `ketwin start` is one: it starts the simulators, prints their pid and sites, and stops them on "stop" */
const PARENT = `
import { pino } from 'pino';
import { startSimulatorProcess } from './cli/simulator-process.ts';
const simulators = await startSimulatorProcess({ ports: 'ephemeral', district: false }, pino({ level: 'silent' }));
console.log(JSON.stringify({ pid: simulators.pid, sites: simulators.sites }));
process.stdin.once('data', async () => {
  await simulators.stop();
  console.log('stopped');
});
`;

type Parent = ChildProcessByStdio<Writable, Readable, null>;
const parents: Parent[] = [];
afterEach(() => {
  for (const p of parents.splice(0)) p.kill('SIGKILL');
});

function startParent(): Parent {
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PARENT], {
    env: { ...process.env, KETWIN_SIM: 'ephemeral', KETWIN_DISTRICT: 'off', LOG_LEVEL: 'silent' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  parents.push(parent);
  return parent;
}

/** the next line of the parent's output that starts with `prefix` (the simulators' own notices share its stdout) */
function nextLine(parent: Parent, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n').find((l, i, all) => i < all.length - 1 && l.startsWith(prefix));
      if (line === undefined) return;
      parent.stdout.off('data', onData);
      resolve(line);
    };
    parent.stdout.on('data', onData);
    parent.once('exit', (code) => reject(new Error(`the parent exited (${code}) before printing a line`)));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function listening(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint.replace(/^opc\.tcp:/, 'http:'));
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function started(parent: Parent): Promise<{ pid: number; endpoint: string; sites: { id: string }[] }> {
  const { pid, sites } = JSON.parse(await nextLine(parent, '{')) as { pid: number; sites: { id: string; sources: { protocol: string; endpoint: string }[] }[] };
  const endpoint = sites[0]!.sources.find((s) => s.protocol === 'opcua')!.endpoint;
  expect(alive(pid)).toBe(true);
  expect(await listening(endpoint)).toBe(true);
  return { pid, endpoint, sites };
}

describe("ketwin start's simulators' process", () => {
  it('serves every demo depot on its own ports and stops when told, closing them', async () => {
    const parent = startParent();
    const { pid, endpoint, sites } = await started(parent);
    expect(sites.map((s) => s.id)).toContain('zhoushan-demo');
    parent.stdin.write('stop\n');
    expect(await nextLine(parent, 'stopped')).toBe('stopped');
    expect(alive(pid)).toBe(false);
    expect(await listening(endpoint)).toBe(false);
  }, 90_000);

  it('ends by itself when its parent is killed with SIGKILL', async () => {
    const parent = startParent();
    const { pid, endpoint } = await started(parent);
    parent.kill('SIGKILL');
    await until('the orphaned simulators to end', () => !alive(pid));
    expect(await listening(endpoint)).toBe(false);
  }, 90_000);
});
