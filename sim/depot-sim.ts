import { pino, type Logger } from 'pino';
import type { Point, Site } from '../model/index.ts';
import { createDepotModel, type DepotModel } from './depot-model.ts';
import { startSimModbusServer, type ModbusFailure, type SimModbusServer } from './modbus-server.ts';
import { startSimOpcuaServer, type SimOpcuaServer } from './opcua-server.ts';
import { playScenario, type Playback, type PlayOptions } from './play.ts';
import { createRandom } from './prng.ts';
import type { Scenario } from './scenario.ts';
import { SimError } from './sim-error.ts';

export interface DepotSimOptions {
  /** OPC-UA port; 0 or omitted picks a free one */
  opcuaPort?: number;
  /** Modbus TCP port; 0 or omitted picks a free one */
  modbusPort?: number;
  /** seed of the value generator; the same seed gives the same values */
  seed?: number;
  /** scan period, ms (default 1000) */
  tickMs?: number;
  /** simulated seconds per scan (default 60: a scan a second shows an hour of depot life a minute) */
  secondsPerTick?: number;
  /**
   * factor on the routine transfers' rates (default 1); the demo, running a simulated minute per 1 s
   * scan, passes 1/60 so that ordinary transfers look ordinary to the twin (see DepotModelOptions)
   */
  routineRate?: number;
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
  /** the physics behind the values (scenarios inject leaks, fires, power loss through it) */
  readonly model: DepotModel;
  /** points the simulator serves beyond the site's (flame detectors, shell temperatures…), over OPC-UA */
  readonly extraPoints: Point[];
  /** the value currently served for a point */
  value(pointId: string): number | boolean;
  /** forces a value, held until release() */
  set(pointId: string, value: number | boolean): void;
  /** stops updating a point entirely (value and source timestamp) until release() */
  freeze(pointId: string): void;
  /** a failed field device: Modbus reads covering it answer the exception (or never, 'timeout'); an OPC-UA point turns Bad */
  failModbus(pointId: string, failure: ModbusFailure): void;
  fail(pointId: string, failure?: ModbusFailure): void;
  /** undoes set, freeze and fail for a point; the model carries on from a forced value */
  release(pointId: string): void;
  /** takes a source off the network (its server closes its port) until restoreSource() */
  dropSource(sourceId: string): Promise<void>;
  restoreSource(sourceId: string): Promise<void>;
  /** runs one scan now (values move, OPC-UA source timestamps refresh) */
  tick(): void;
  /** plays a scenario's timeline (see loadScenario); stop() ends it early */
  play(scenario: Scenario, options?: PlayOptions): Playback;
  /** the site with its source endpoints rewritten to this simulator's */
  siteWithEndpoints(): Site;
  /** Modbus write requests received so far (a read-only collector never sends one) */
  readonly modbusWriteRequests: number;
  stop(): Promise<void>;
}

export async function startDepotSim(site: Site, options: DepotSimOptions = {}): Promise<DepotSim> {
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'sim', site: site.id });
  const model = createDepotModel(site, createRandom(options.seed ?? 1), { routineRate: options.routineRate ?? 1 });
  const protocolOf = new Map(site.sources.map((s) => [s.id, s.protocol]));
  const allPoints = [...site.points, ...model.extraPoints];
  const opcuaPoints = allPoints.filter((p) => protocolOf.get(p.source) === 'opcua');
  const modbusPoints = allPoints.filter((p) => protocolOf.get(p.source) === 'modbus');
  const points = new Map<string, Point>(allPoints.map((p) => [p.id, p]));
  const forced = new Map<string, number | boolean>();
  const frozen = new Set<string>();
  const failedOpcua = new Set<string>();
  const served = new Map<string, number | boolean>();
  const current = (id: string) => (forced.has(id) ? forced.get(id)! : (model.value(id) ?? false));
  for (const id of points.keys()) served.set(id, current(id));
  const unitIds = new Set(site.sources.flatMap((s) => (s.protocol === 'modbus' ? [s.unitId] : [])));
  const unitId = unitIds.size === 1 ? [...unitIds][0]! : 255;
  const secondsPerTick = options.secondsPerTick ?? 60;

  const startOpcua = (port: number) =>
    startSimOpcuaServer(opcuaPoints, { port, pkiDir: options.pkiDir, users: options.users, maxMonitoredItemsPerSubscription: options.maxMonitoredItemsPerSubscription }, (id) =>
      served.get(id)!,
    );
  const startModbus = async (port: number) => {
    const server = await startSimModbusServer(modbusPoints, unitId, port);
    for (const point of modbusPoints) server.write(point, served.get(point.id)!);
    return server;
  };
  let opcua: SimOpcuaServer | undefined;
  let modbus: SimModbusServer | undefined;
  try {
    opcua = await startOpcua(options.opcuaPort ?? 0);
    modbus = await startModbus(options.modbusPort ?? 0);
  } catch (error) {
    await opcua?.stop();
    throw error;
  }
  const servers: { opcua: SimOpcuaServer | undefined; modbus: SimModbusServer | undefined } = { opcua, modbus };
  const endpoints = { opcua: opcua.endpoint, modbus: modbus.endpoint };
  const ports = { opcua: opcua.port, modbus: modbus.port };
  const certificateFile = opcua.certificateFile;
  let writeRequests = 0;
  const modbusFailures = new Map<string, ModbusFailure>();

  function publish(id: string, now: Date) {
    const value = current(id);
    served.set(id, value);
    const point = points.get(id)!;
    if (protocolOf.get(point.source) === 'opcua') {
      if (failedOpcua.has(id)) servers.opcua?.fail(id, now);
      else servers.opcua?.write(id, value, now);
    } else servers.modbus?.write(point, value);
  }
  function tick() {
    model.step(secondsPerTick);
    for (const [id, value] of forced) if (/\.wind_(direction|speed)$/.test(id)) model.adopt(id, value); // a held wind does not drift
    const now = new Date();
    for (const id of points.keys()) if (!frozen.has(id)) publish(id, now);
  }
  const known = (id: string) => {
    if (!points.has(id)) throw new SimError('SIM_POINT', `site ${site.id} has no point ${JSON.stringify(id)}`);
  };
  const protocolOfSource = (sourceId: string) => {
    const protocol = protocolOf.get(sourceId);
    if (!protocol) throw new SimError('SIM_POINT', `site ${site.id} has no source ${JSON.stringify(sourceId)}`);
    return protocol;
  };

  const timer = setInterval(tick, options.tickMs ?? 1000);
  logger.info({ opcua: endpoints.opcua, modbus: endpoints.modbus, points: points.size }, 'depot simulator started');
  let stopped = false;
  const playbacks = new Set<Playback>();

  const sim: DepotSim = {
    endpoints,
    certificateFile,
    model,
    extraPoints: model.extraPoints,
    value(id) {
      known(id);
      return served.get(id)!;
    },
    set(id, value) {
      known(id);
      forced.set(id, value);
      if (/\.wind_(direction|speed)$/.test(id)) model.adopt(id, value); // the gas cloud follows a forced wind
      if (!frozen.has(id)) publish(id, new Date());
    },
    freeze(id) {
      known(id);
      frozen.add(id);
    },
    failModbus(id, failure) {
      known(id);
      if (protocolOf.get(points.get(id)!.source) !== 'modbus') throw new SimError('SIM_POINT', `point ${id} is not served over Modbus`);
      modbusFailures.set(id, failure);
      servers.modbus?.fail(id, failure);
    },
    fail(id, failure = 4) {
      known(id);
      if (protocolOf.get(points.get(id)!.source) === 'modbus') return sim.failModbus(id, failure);
      failedOpcua.add(id);
      publish(id, new Date());
    },
    release(id) {
      known(id);
      if (forced.has(id)) model.adopt(id, forced.get(id)!);
      forced.delete(id);
      frozen.delete(id);
      failedOpcua.delete(id);
      modbusFailures.delete(id);
      servers.modbus?.release(id);
      publish(id, new Date());
    },
    async dropSource(sourceId) {
      if (protocolOfSource(sourceId) === 'opcua') {
        const server = servers.opcua;
        servers.opcua = undefined;
        await server?.stop();
      } else {
        const server = servers.modbus;
        servers.modbus = undefined;
        if (server) writeRequests += server.writeRequests;
        await server?.stop();
      }
      logger.warn({ source: sourceId }, 'source dropped off the network');
    },
    async restoreSource(sourceId) {
      if (stopped) return;
      if (protocolOfSource(sourceId) === 'opcua') servers.opcua ??= await startOpcua(ports.opcua);
      else if (!servers.modbus) {
        servers.modbus = await startModbus(ports.modbus);
        for (const [id, failure] of modbusFailures) servers.modbus.fail(id, failure);
      }
      logger.info({ source: sourceId }, 'source back on the network');
    },
    tick,
    play(scenario, playOptions) {
      const playback = playScenario(sim, site, scenario, { logger, ...playOptions });
      playbacks.add(playback);
      void playback.done.then(() => playbacks.delete(playback));
      return playback;
    },
    siteWithEndpoints() {
      return {
        ...site,
        sources: site.sources.map((s) => (s.protocol === 'opcua' ? { ...s, endpoint: endpoints.opcua } : { ...s, endpoint: endpoints.modbus })),
      };
    },
    get modbusWriteRequests() {
      return writeRequests + (servers.modbus?.writeRequests ?? 0);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      for (const playback of playbacks) playback.stop();
      await Promise.all([servers.opcua?.stop(), servers.modbus?.stop()]);
      logger.info('depot simulator stopped');
    },
  };
  return sim;
}
