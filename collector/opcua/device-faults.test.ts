import { DataType, OPCUAServer, RegisterServerMethod, StatusCodes, Variant, VariantArrayType } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpcuaSource, Point } from '../../model/index.ts';
import { findFreePort } from '../../sim/index.ts';
import { createStaleWatchdog } from '../stale-watchdog.ts';
import { commsLossRaisedAt, createLogCapture, createRecorder, waitFor } from '../test-support.ts';
import { startTestProxy, type TestProxy } from '../test-proxy.ts';
import { createOpcuaSource } from './opcua-source.ts';

/**
 * An OPC-UA server nobody in ketwin wrote the values of: 64-bit integers at their extremes, a
 * value that never changes (so the server, reporting by exception, sends it once), and values a
 * numeric point cannot hold. It is reached through a relay that can hang like a frozen device.
 */
const STALE_MS = 1000;
const COMMS_LOSS_DELAY_MS = 1500;

const nodes: { name: string; unit: Point['unit']; variant: Variant }[] = [
  { name: 'int64_minus_3', unit: 'm3', variant: new Variant({ dataType: DataType.Int64, arrayType: VariantArrayType.Scalar, value: [0xffffffff, 0xfffffffd] }) },
  { name: 'int64_min', unit: 'm3', variant: new Variant({ dataType: DataType.Int64, arrayType: VariantArrayType.Scalar, value: [0x80000000, 0] }) },
  { name: 'uint64_max', unit: 'm3', variant: new Variant({ dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: [0xffffffff, 0xffffffff] }) },
  { name: 'int64_small', unit: 'm3', variant: new Variant({ dataType: DataType.Int64, arrayType: VariantArrayType.Scalar, value: [0, 12_345] }) },
  { name: 'constant', unit: 'm', variant: new Variant({ dataType: DataType.Double, value: 7.25 }) },
  { name: 'array', unit: 'm', variant: new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: new Float64Array([1, 2, 3, 4]) }) },
  { name: 'text', unit: 'm', variant: new Variant({ dataType: DataType.String, value: '12.5' }) },
  { name: 'flag_text', unit: 'bool', variant: new Variant({ dataType: DataType.String, value: 'true' }) },
];

let server: OPCUAServer;
let ns = 0;
let proxy: TestProxy;
beforeAll(async () => {
  const port = await findFreePort();
  server = new OPCUAServer({ port, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: '/faults', registerServerMethod: RegisterServerMethod.HIDDEN, isAuditing: false });
  await server.initialize();
  const namespace = server.engine.addressSpace!.registerNamespace('urn:ketwin:faults');
  ns = namespace.index;
  const device = namespace.addObject({ organizedBy: server.engine.addressSpace!.rootFolder.objects, browseName: 'Device' });
  const written = new Date();
  for (const node of nodes) {
    const variable = namespace.addVariable({
      componentOf: device,
      browseName: node.name,
      nodeId: `s=${node.name}`,
      dataType: node.variant.dataType,
      valueRank: node.variant.arrayType === VariantArrayType.Array ? 1 : -1,
    });
    variable.setValueFromSource(node.variant, StatusCodes.Good, written); // once: nothing changes afterwards
  }
  await server.start();
  proxy = await startTestProxy(port);
});
afterAll(async () => {
  await proxy?.close();
  await server?.shutdown(0);
});

function faultySource(): { source: OpcuaSource; points: Point[] } {
  const source: OpcuaSource = {
    id: 'plc-x',
    protocol: 'opcua',
    endpoint: `opc.tcp://127.0.0.1:${proxy.port}/faults`,
    securityMode: 'None',
    securityPolicy: 'None',
    publishingIntervalMs: 100,
    maxItemsPerSubscription: 1000,
    staleAfterMs: STALE_MS,
  } as OpcuaSource;
  const points = nodes.map(({ name, unit }) => ({ id: `DEV.${name}`, asset: 'DEV', name, unit, source: 'plc-x', node: `ns=${ns};s=${name}`, staleAfterMs: STALE_MS }));
  return { source, points };
}

describe('OPC-UA source against values and a server nobody here wrote', () => {
  it('decodes 64-bit integers signed as their type says, marks what a number cannot hold bad, keeps a constant good, and goes stale only when the subscription does', async () => {
    const { source, points } = faultySource();
    const recorder = createRecorder();
    const { logger, lines } = createLogCapture();
    // as in production: the stale watchdog sits between the source and everything downstream
    const watchdog = createStaleWatchdog({ site: 'faults', points, sink: recorder.sink });
    const opcua = createOpcuaSource({ site: 'faults', source, points, logger, reconnect: { initialDelayMs: 100, maxDelayMs: 500 } });
    const latest = (name: string) => recorder.latest(`DEV.${name}`);
    try {
      await opcua.start(watchdog.sink);
      await waitFor(() => points.every((p) => recorder.latest(p.id)), 'a sample of every point');
      const subscribedAt = Date.now();

      // 1. Int64 is signed, UInt64 unsigned; past 2^53 the reading says what a double made of it
      expect(latest('int64_minus_3')).toMatchObject({ value: -3, quality: 'good' });
      expect(latest('int64_minus_3')!.reason).toBeUndefined();
      expect(latest('int64_small')).toMatchObject({ value: 12_345, quality: 'good' });
      expect(latest('int64_min')).toMatchObject({
        value: -(2 ** 63),
        quality: 'good',
        reason: 'Int64 -9223372036854775808 is past 2^53, where doubles skip integers: carried as -9223372036854775808 (exact)',
      });
      expect(latest('uint64_max')).toMatchObject({
        value: 2 ** 64,
        quality: 'good',
        reason: 'UInt64 18446744073709551615 is past 2^53, where doubles skip integers: carried as 18446744073709551616 (off by 1)',
      });

      // what a numeric (or boolean) point cannot hold is bad with the reason, never NaN good, never parsed
      expect(latest('array')).toMatchObject({ quality: 'bad', reason: 'array of 4 where a number was expected' });
      expect(latest('text')).toMatchObject({ quality: 'bad', reason: 'text "12.5" where a number was expected' });
      expect(Number.isNaN(latest('text')!.value)).toBe(true);
      expect(latest('flag_text')).toMatchObject({ quality: 'bad', value: false, reason: 'text "true" where a boolean was expected' });

      // 4. the constant is sent once, yet stays good for 3 × staleAfterMs on the live subscription
      await new Promise((r) => setTimeout(r, 3 * STALE_MS));
      const constant = recorder.of('DEV.constant');
      expect(constant.every((s) => s.quality === 'good' && s.value === 7.25)).toBe(true);
      expect(constant.at(-1)!.ts).toBeGreaterThan(Date.now() - STALE_MS); // refreshed while the server confirms it holds
      expect(recorder.samples.some((s) => s.reason === 'stale')).toBe(false);
      expect(latest('int64_minus_3')).toMatchObject({ value: -3, quality: 'good' });
      expect(latest('uint64_max')!.reason).toMatch(/off by 1/); // a refresh repeats the note
      expect(latest('array')?.quality).toBe('bad'); // a refresh never turns a refused value good
      expect(recorder.of('plc-x.online').map((s) => s.value)).toEqual([true]);
      expect(opcua.stats()).toMatchObject({ online: true, reconnects: 0 });
      expect(Date.now() - subscribedAt).toBeGreaterThanOrEqual(3 * STALE_MS);

      // the device hangs (connection kept open, nothing answered): the subscription falls silent,
      // so its points go stale within staleAfterMs and the source looks offline
      const hungAt = Date.now();
      proxy.freeze();
      await waitFor(() => latest('constant')?.reason === 'stale', 'the constant to go stale with its subscription', 4 * STALE_MS);
      expect(Date.now() - hungAt).toBeLessThan(STALE_MS + 500);
      expect(latest('constant')).toMatchObject({ value: 7.25, quality: 'bad' });
      await waitFor(() => recorder.latest('plc-x.online')?.value === false, 'the source to look offline');
      expect(recorder.latest('plc-x.online')!.reason).toBe('no good reading (stale)');
      await waitFor(() => commsLossRaisedAt(recorder.samples, 'plc-x', COMMS_LOSS_DELAY_MS) !== undefined, 'the comms-loss delay to pass', 4 * COMMS_LOSS_DELAY_MS);
      expect(lines.filter((l) => /subscription silent/.test(l.msg))).toHaveLength(1);

      // it comes back: good again (a fresh reading or the server's confirmation), and online
      const thawedAt = Date.now();
      proxy.thaw();
      await waitFor(() => latest('constant')?.quality === 'good' && recorder.latest('plc-x.online')?.value === true, 'the constant to be good again', 15_000);
      expect(latest('constant')!.ts).toBeGreaterThanOrEqual(thawedAt - 1000);
      expect(latest('int64_minus_3')?.value).toBe(-3);
      expect(opcua.stats()).toMatchObject({ online: true, reconnects: 0 }); // the session held through the hang
    } finally {
      proxy.thaw();
      await opcua.stop();
      watchdog.stop();
    }
  });
});
