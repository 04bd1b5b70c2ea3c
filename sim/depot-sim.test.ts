import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AttributeIds, DataType, MessageSecurityMode, OPCUAClient, SecurityPolicy, type ClientSession } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../model/index.ts';
import { startDepotSim, type DepotSim } from './index.ts';

// modbus-serial is CommonJS: its module.exports is the client class
const ModbusRTU: typeof import('modbus-serial').default = createRequire(import.meta.url)('modbus-serial');
type ModbusRTU = InstanceType<typeof ModbusRTU>;
const siteFile = fileURLToPath(new URL('../sites/zhoushan-demo.yaml', import.meta.url));
const MANUAL = 3_600_000; // no automatic scans: the tests call tick()

async function openSession(endpoint: string) {
  const client = OPCUAClient.create({
    endpointMustExist: false,
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    connectionStrategy: { maxRetry: 0 },
  });
  await client.connect(endpoint);
  const session = await client.createSession();
  return { session, close: async () => (await session.close(), await client.disconnect()) };
}

async function readNode(session: ClientSession, nodeId: string) {
  return session.read({ nodeId, attributeId: AttributeIds.Value });
}

async function openModbus(endpoint: string, timeoutMs = 1000) {
  const url = new URL(endpoint);
  const client = new ModbusRTU();
  await client.connectTCP(url.hostname, { port: Number(url.port) });
  client.setID(1);
  client.setTimeout(timeoutMs);
  return client;
}

const float32 = (words: number[], at: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt16BE(words[at]!, 0);
  buffer.writeUInt16BE(words[at + 1]!, 2);
  return buffer.readFloatBE(0);
};

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

let site: Site;
beforeAll(async () => {
  site = await loadSite(siteFile);
});

describe('depot simulator', () => {
  let sim: DepotSim;
  let opcua: Awaited<ReturnType<typeof openSession>>;
  let modbus: ModbusRTU;

  beforeAll(async () => {
    // start-up time is measured in bench/collector.bench.ts (simStartMs), not asserted here
    sim = await startDepotSim(site, { seed: 7, tickMs: MANUAL });
    opcua = await openSession(sim.endpoints.opcua);
    modbus = await openModbus(sim.endpoints.modbus);
  });
  afterAll(async () => {
    modbus?.close(() => {});
    await opcua?.close();
    await sim?.stop();
  });

  it('listens on loopback ports it picked itself', () => {
    expect(sim.endpoints.opcua).toMatch(/^opc\.tcp:\/\/127\.0\.0\.1:\d+\/ketwin$/);
    expect(sim.endpoints.modbus).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const rewritten = sim.siteWithEndpoints();
    expect(rewritten.sources.find((s) => s.id === 'plc-tankfarm')?.endpoint).toBe(sim.endpoints.opcua);
    expect(rewritten.sources.find((s) => s.id === 'rtu-fire')?.endpoint).toBe(sim.endpoints.modbus);
  });

  it('serves its own namespace at index 1', async () => {
    const namespaces = await opcua.session.readNamespaceArray();
    expect(namespaces[1]).toBe('urn:ketwin:sim');
  });

  it('serves every OPC-UA point at its node id with the simulated value', async () => {
    const points = site.points.filter((p) => p.source === 'plc-tankfarm');
    expect(points).toHaveLength(75);
    for (const point of points) {
      const dataValue = await readNode(opcua.session, point.node!);
      expect(dataValue.statusCode.isGood(), point.id).toBe(true);
      expect(dataValue.value.dataType).toBe(point.unit === 'bool' ? DataType.Boolean : DataType.Double);
      expect(dataValue.value.value).toBe(sim.value(point.id));
      expect(dataValue.sourceTimestamp).toBeInstanceOf(Date);
    }
  });

  it('serves every Modbus point at its register, float32 high word first', async () => {
    const holding = (await modbus.readHoldingRegisters(0, 10)).data;
    const byAddress = new Map([0, 2, 4, 6, 8].map((a) => [a, float32(holding, a)]));
    for (const point of site.points.filter((p) => p.register?.table === 'holding')) {
      expect(byAddress.get(point.register!.address)).toBeCloseTo(sim.value(point.id) as number, 4);
    }
    const coils = (await modbus.readCoils(0, 2)).data.slice(0, 2);
    expect(coils).toEqual([sim.value('FP1.running'), sim.value('FP2.running')]);
    const discrete = (await modbus.readDiscreteInputs(0, 2)).data.slice(0, 2);
    expect(discrete).toEqual([true, true]);
    await expect(modbus.readHoldingRegisters(100, 2)).rejects.toMatchObject({ modbusCode: 2 });
  });

  it('moves values plausibly on each scan', () => {
    const before = new Map(site.points.map((p) => [p.id, sim.value(p.id)]));
    for (let i = 0; i < 20; i++) sim.tick();
    for (const tank of ['T101', 'T102', 'T201', 'T202', 'T301', 'T302']) {
      const moved = Math.abs((sim.value(`${tank}.level`) as number) - (before.get(`${tank}.level`) as number));
      expect(moved, tank).toBeGreaterThan(0.1);
      expect(moved, tank).toBeLessThan(20 * 0.08);
    }
    for (const id of ['GD101.gas', 'GD201.gas', 'GDP1.gas']) {
      expect(sim.value(id)).toBeGreaterThanOrEqual(0);
      expect(sim.value(id)).toBeLessThanOrEqual(3);
    }
    expect(sim.value('D1.water_level')).toBeLessThanOrEqual(0.08);
    expect(sim.value('FP1.pressure')).toBeCloseTo(0.25, 1);
    expect(sim.value('FP1.running')).toBe(false);
    expect(sim.value('GEN1.ready')).toBe(true);
  });

  it('refreshes the OPC-UA source timestamp on every scan even when the value is unchanged', async () => {
    const first = await readNode(opcua.session, 'ns=1;s=T101.level');
    await new Promise((r) => setTimeout(r, 5));
    sim.set('T101.temperature', 30);
    sim.tick();
    const second = await readNode(opcua.session, 'ns=1;s=T101.temperature');
    sim.tick();
    const third = await readNode(opcua.session, 'ns=1;s=T101.temperature');
    expect(third.value.value).toBe(30);
    expect(third.sourceTimestamp!.getTime()).toBeGreaterThan(first.sourceTimestamp!.getTime());
    expect(third.sourceTimestamp!.getTime()).toBeGreaterThanOrEqual(second.sourceTimestamp!.getTime());
    sim.release('T101.temperature');
  });

  it('holds a set value until released, over both protocols', async () => {
    sim.set('T101.level', 19.8);
    sim.set('FP1.pressure', 0.9);
    sim.set('FP1.running', true);
    sim.tick();
    expect((await readNode(opcua.session, 'ns=1;s=T101.level')).value.value).toBe(19.8);
    expect(float32((await modbus.readHoldingRegisters(2, 2)).data, 0)).toBeCloseTo(0.9, 5);
    expect((await modbus.readCoils(0, 1)).data[0]).toBe(true);
    for (const id of ['T101.level', 'FP1.pressure', 'FP1.running']) sim.release(id);
    sim.tick();
    expect((await readNode(opcua.session, 'ns=1;s=T101.level')).value.value).not.toBe(19.8);
    expect((await modbus.readCoils(0, 1)).data[0]).toBe(false);
  });

  it('freezes a point: neither value nor source timestamp moves until released', async () => {
    sim.freeze('GD101.gas');
    const frozen = await readNode(opcua.session, 'ns=1;s=GD101.gas');
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 3; i++) sim.tick();
    const later = await readNode(opcua.session, 'ns=1;s=GD101.gas');
    expect(later.sourceTimestamp!.getTime()).toBe(frozen.sourceTimestamp!.getTime());
    expect(later.value.value).toBe(frozen.value.value);
    sim.release('GD101.gas');
    const released = await readNode(opcua.session, 'ns=1;s=GD101.gas');
    expect(released.sourceTimestamp!.getTime()).toBeGreaterThan(frozen.sourceTimestamp!.getTime());
  });

  it('answers reads covering a failed register with the exception, until released', async () => {
    sim.failModbus('FP2.pressure', 2);
    await expect(modbus.readHoldingRegisters(0, 10)).rejects.toMatchObject({ modbusCode: 2 });
    await expect(modbus.readHoldingRegisters(4, 2)).rejects.toMatchObject({ modbusCode: 2 });
    expect((await modbus.readHoldingRegisters(0, 4)).data).toHaveLength(4);
    sim.failModbus('GEN1.ready', 4);
    await expect(modbus.readDiscreteInputs(0, 2)).rejects.toMatchObject({ modbusCode: 4 });
    sim.release('FP2.pressure');
    sim.release('GEN1.ready');
    expect((await modbus.readHoldingRegisters(0, 10)).data).toHaveLength(10);
    expect(() => sim.failModbus('T101.level', 2)).toThrow(/not served over Modbus/);
    expect(() => sim.set('T999.level', 1)).toThrow(/no point/);
  });

  it('can stay silent on a register, so that reads time out', async () => {
    const slow = await openModbus(sim.endpoints.modbus, 300);
    try {
      sim.failModbus('FWP1.level', 'timeout');
      await expect(slow.readHoldingRegisters(0, 2)).rejects.toMatchObject({ name: 'TransactionTimedOutError' });
      sim.release('FWP1.level');
    } finally {
      slow.close(() => {});
    }
  });

  it('refuses and counts Modbus writes', async () => {
    const before = sim.modbusWriteRequests;
    await expect(modbus.writeRegister(0, 1)).rejects.toMatchObject({ modbusCode: 1 });
    expect(sim.modbusWriteRequests).toBe(before + 1);
  });
});

describe('depot simulator lifecycle', () => {
  it('gives the same values for the same seed', async () => {
    const [a, b] = await Promise.all([startDepotSim(site, { seed: 42, tickMs: MANUAL }), startDepotSim(site, { seed: 42, tickMs: MANUAL })]);
    try {
      for (let i = 0; i < 5; i++) {
        a.tick();
        b.tick();
      }
      for (const point of site.points) expect(a.value(point.id)).toBe(b.value(point.id));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('scans on its own every tickMs', async () => {
    const sim = await startDepotSim(site, { tickMs: 50 });
    try {
      const before = sim.value('T101.level');
      await new Promise((r) => setTimeout(r, 300));
      expect(sim.value('T101.level')).not.toBe(before);
    } finally {
      await sim.stop();
    }
  });

  it('frees both ports on stop, so a new simulator can take them', async () => {
    const sim = await startDepotSim(site, { tickMs: 50 });
    const opcuaPort = Number(new URL(sim.endpoints.opcua).port);
    const modbusPort = Number(new URL(sim.endpoints.modbus).port);
    await sim.stop();
    expect(await portIsClosed(opcuaPort)).toBe(true);
    expect(await portIsClosed(modbusPort)).toBe(true);
    const again = await startDepotSim(site, { opcuaPort, modbusPort, tickMs: MANUAL });
    expect(again.endpoints.opcua).toBe(`opc.tcp://127.0.0.1:${opcuaPort}/ketwin`);
    expect(again.endpoints.modbus).toBe(`tcp://127.0.0.1:${modbusPort}`);
    await again.stop();
  });
});
