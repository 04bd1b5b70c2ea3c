import { pino, type Logger } from 'pino';
import type { Point, Site } from '../model/index.ts';
import { startSimModbusServer, type ModbusFailure, type SimModbusServer } from './modbus-server.ts';
import { startSimOpcuaServer, type SimOpcuaServer } from './opcua-server.ts';
import { createRandom } from './prng.ts';
import { SimError } from './sim-error.ts';
import { createSignals } from './signals.ts';

export interface DepotSimOptions {
  /** OPC-UA port; 0 or omitted picks a free one */
  opcuaPort?: number;
  /** Modbus TCP port; 0 or omitted picks a free one */
  modbusPort?: number;
  /** seed of the value generator; the same seed gives the same values */
  seed?: number;
  /** scan period, ms (default 1000) */
  tickMs?: number;
  /** the OPC-UA server's PKI folder (default <tmp>/ketwin-sim-pki); it accepts every client certificate */
  pkiDir?: string;
  /** OPC-UA user name → password accepted besides anonymous */
  users?: Record<string, string>;
  /** cap on OPC-UA monitored items per subscription, like a real PLC's */
  maxMonitoredItemsPerSubscription?: number;
  logger?: Logger;
}

/** A simulated depot serving a site's points over real OPC-UA and Modbus TCP on loopback. */
export interface DepotSim {
  readonly endpoints: { opcua: string; modbus: string };
  /** the OPC-UA server's certificate (PEM), for a collector's trusted/certs */
  readonly certificateFile: string;
  /** the value currently served for a point */
  value(pointId: string): number | boolean;
  /** forces a value, held until release() */
  set(pointId: string, value: number | boolean): void;
  /** stops updating a point entirely (value and source timestamp) until release() */
  freeze(pointId: string): void;
  /** answers reads covering the point's register with a Modbus exception (or never, for 'timeout') until release() */
  failModbus(pointId: string, failure: ModbusFailure): void;
  /** undoes set, freeze and failModbus for a point */
  release(pointId: string): void;
  /** runs one scan now (values move, OPC-UA source timestamps refresh) */
  tick(): void;
  /** the site with its source endpoints rewritten to this simulator's */
  siteWithEndpoints(): Site;
  /** Modbus write requests received so far (a read-only collector never sends one) */
  readonly modbusWriteRequests: number;
  stop(): Promise<void>;
}

export async function startDepotSim(site: Site, options: DepotSimOptions = {}): Promise<DepotSim> {
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'sim', site: site.id });
  const protocolOf = new Map(site.sources.map((s) => [s.id, s.protocol]));
  const opcuaPoints = site.points.filter((p) => protocolOf.get(p.source) === 'opcua');
  const modbusPoints = site.points.filter((p) => protocolOf.get(p.source) === 'modbus');
  const points = new Map<string, Point>(site.points.map((p) => [p.id, p]));
  const signals = createSignals(site, site.points, createRandom(options.seed ?? 1));
  const forced = new Map<string, number | boolean>();
  const frozen = new Set<string>();
  const served = new Map<string, number | boolean>();
  const current = (id: string) => (forced.has(id) ? forced.get(id)! : signals.get(id)!.value);
  for (const id of points.keys()) served.set(id, current(id));

  const unitIds = new Set(site.sources.flatMap((s) => (s.protocol === 'modbus' ? [s.unitId] : [])));
  let opcua: SimOpcuaServer | undefined;
  let modbus: SimModbusServer | undefined;
  try {
    opcua = await startSimOpcuaServer(
      opcuaPoints,
      { port: options.opcuaPort ?? 0, pkiDir: options.pkiDir, users: options.users, maxMonitoredItemsPerSubscription: options.maxMonitoredItemsPerSubscription },
      (id) => served.get(id)!,
    );
    modbus = await startSimModbusServer(modbusPoints, unitIds.size === 1 ? [...unitIds][0]! : 255, options.modbusPort ?? 0);
  } catch (error) {
    await opcua?.stop();
    throw error;
  }
  const servers = { opcua, modbus };
  for (const point of modbusPoints) modbus.write(point, served.get(point.id)!);

  function publish(id: string, now: Date) {
    const value = current(id);
    served.set(id, value);
    const point = points.get(id)!;
    if (protocolOf.get(point.source) === 'opcua') servers.opcua.write(id, value, now);
    else servers.modbus.write(point, value);
  }
  function tick() {
    const now = new Date();
    for (const [id, signal] of signals) {
      if (frozen.has(id)) continue;
      signal.step();
      publish(id, now);
    }
  }
  const known = (id: string) => {
    if (!points.has(id)) throw new SimError('SIM_POINT', `site ${site.id} has no point ${JSON.stringify(id)}`);
  };

  const timer = setInterval(tick, options.tickMs ?? 1000);
  logger.info({ opcua: opcua.endpoint, modbus: modbus.endpoint, points: points.size }, 'depot simulator started');
  let stopped = false;

  return {
    endpoints: { opcua: opcua.endpoint, modbus: modbus.endpoint },
    certificateFile: opcua.certificateFile,
    value(id) {
      known(id);
      return served.get(id)!;
    },
    set(id, value) {
      known(id);
      forced.set(id, value);
      if (!frozen.has(id)) publish(id, new Date());
    },
    freeze(id) {
      known(id);
      frozen.add(id);
    },
    failModbus(id, failure) {
      known(id);
      if (protocolOf.get(points.get(id)!.source) !== 'modbus') throw new SimError('SIM_POINT', `point ${id} is not served over Modbus`);
      servers.modbus.fail(id, failure);
    },
    release(id) {
      known(id);
      forced.delete(id);
      frozen.delete(id);
      servers.modbus.release(id);
      publish(id, new Date());
    },
    tick,
    siteWithEndpoints() {
      return {
        ...site,
        sources: site.sources.map((s) =>
          s.protocol === 'opcua' ? { ...s, endpoint: servers.opcua.endpoint } : { ...s, endpoint: servers.modbus.endpoint },
        ),
      };
    },
    get modbusWriteRequests() {
      return servers.modbus.writeRequests;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await Promise.all([servers.opcua.stop(), servers.modbus.stop()]);
      logger.info('depot simulator stopped');
    },
  };
}
