/**
 * Depot simulators in a child process of their own, so that a benchmark measures the collector
 * alone: the servers spend another process's CPU and heap. One process serves any number of
 * sites (one simulator, i.e. one OPC-UA and one Modbus server, per site).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Site } from '../model/index.ts';
import { startDepotSim, type DepotSim } from './depot-sim.ts';
import { SimError } from './sim-error.ts';

export interface SimProcessOptions {
  /** scan period of every simulator, ms */
  tickMs: number;
  /** OPC-UA server PKI folder (shared by the process's servers) */
  pkiDir?: string;
}

export interface SimProcess {
  readonly pid: number;
  /** the sites, their sources pointed at this process's servers (same order) */
  readonly sites: Site[];
  /** CPU time the process has used so far, µs (process.cpuUsage() inside it) */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  /** resident memory of the process, bytes */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

type Request = { type: 'start'; sites: Site[]; options: SimProcessOptions } | { type: 'cpu' } | { type: 'memory' } | { type: 'stop' };
type Reply =
  | { type: 'started'; endpoints: { opcua: string; modbus: string }[] }
  | { type: 'cpu'; usage: NodeJS.CpuUsage }
  | { type: 'memory'; usage: NodeJS.MemoryUsage }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };

const self = fileURLToPath(import.meta.url);

export async function startSimProcess(sites: Site[], options: SimProcessOptions): Promise<SimProcess> {
  // the child runs this file from TypeScript too; its stdout (node-opcua notices) goes to our stderr
  const child: ChildProcess = fork(self, ['--sim-process'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
  const next = <T extends Reply['type']>(type: T) =>
    new Promise<Extract<Reply, { type: T }>>((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        if (reply.type !== type && reply.type !== 'failed') return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (reply.type === 'failed') reject(new SimError('SIM_LISTEN', `simulator process ${child.pid}: ${reply.message}`));
        else resolve(reply as Extract<Reply, { type: T }>);
      };
      const onExit = (code: number | null) => {
        child.off('message', onMessage);
        reject(new SimError('SIM_LISTEN', `simulator process ${child.pid} exited (${code}) before answering ${type}`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = <T extends Reply['type']>(request: Request, type: T) => {
    const reply = next(type);
    child.send(request);
    return reply;
  };
  const { endpoints } = await ask({ type: 'start', sites, options }, 'started');
  return {
    pid: child.pid!,
    sites: sites.map((site, i) => ({
      ...site,
      sources: site.sources.map((s) => ({ ...s, endpoint: s.protocol === 'opcua' ? endpoints[i]!.opcua : endpoints[i]!.modbus })),
    })),
    cpuUsage: async () => (await ask({ type: 'cpu' }, 'cpu')).usage,
    memory: async () => (await ask({ type: 'memory' }, 'memory')).usage,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      await ask({ type: 'stop' }, 'stopped').catch(() => undefined);
      child.disconnect();
      await exited;
    },
  };
}

async function serve(): Promise<void> {
  // node-opcua writes notices with console.log; keep them off the parent's stdout
  for (const level of ['log', 'info', 'warn', 'debug'] as const) console[level] = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
  const sims: DepotSim[] = [];
  const reply = (message: Reply) => process.send!(message);
  process.on('message', async (request: Request) => {
    try {
      if (request.type === 'start') {
        // one after another: the servers share the PKI folder the first one creates
        for (const site of request.sites) sims.push(await startDepotSim(site, { tickMs: request.options.tickMs, seed: sims.length + 1, pkiDir: request.options.pkiDir }));
        reply({ type: 'started', endpoints: sims.map((s) => s.endpoints) });
      } else if (request.type === 'cpu') reply({ type: 'cpu', usage: process.cpuUsage() });
      else if (request.type === 'memory') reply({ type: 'memory', usage: process.memoryUsage() });
      else {
        await Promise.all(sims.splice(0).map((s) => s.stop()));
        reply({ type: 'stopped' });
      }
    } catch (error) {
      reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.argv.includes('--sim-process') && process.send) await serve();
