import { describe, expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import { sampleCodec } from '../queue/index.ts';
import { BusError } from './bus-errors.ts';
import { positions } from './origin-window.ts';
import { decodeSiteBatch, encodeSiteBatch } from './sample-batch-codec.ts';

const site = 'depot-a';
const samples: Sample[] = [
  { site, point: 'T101.level', value: 12.345, quality: 'good', ts: 1_700_000_000_000 },
  { site, point: 'T101.hh', value: true, quality: 'good', ts: 1_700_000_000_010 },
  { site, point: 'T101.level', value: Number.NaN, quality: 'bad', ts: 1_700_000_000_020, reason: 'stale' },
  { site, point: 'P1.state', value: 'running', quality: 'uncertain', ts: 1_699_999_999_990 },
  { site, point: 'T101.level', value: -Infinity, quality: 'bad', ts: 1_700_000_000_030, reason: 'illegal data address 550 (holding, modbus exception 2)' },
];

describe('a site batch on the wire', () => {
  it('comes back as the same samples, the site taken from the subject', () => {
    const { samples: back, origin } = decodeSiteBatch(site, encodeSiteBatch({ site, samples, positions: [7, 8, 9, 10, 11], origin: 'edge-1' }));
    expect(back).toEqual(samples);
    expect(origin).toEqual({ origin: 'edge-1', start: 7, end: 12 });
  });

  it('keeps the positions of rows that are not consecutive (other sites between them), as holes', () => {
    const at = [3, 4, 8, 9, 12];
    const { origin } = decodeSiteBatch(site, encodeSiteBatch({ site, samples, positions: at, origin: 'o' }));
    expect(origin).toEqual({ origin: 'o', start: 3, end: 13, holes: [5, 6, 7, 10, 11] });
    expect([...positions(origin)]).toEqual(at);
  });

  it("is at most half the size of the queue's own line per sample for a site of many points", () => {
    const many: Sample[] = Array.from({ length: 1000 }, (_, i) => ({
      site: 'zhoushan-demo',
      point: `T${100 + (i % 50)}.level`,
      value: Math.round(i * 7.31) / 100,
      quality: 'good',
      ts: 1_700_000_000_000 + i * 10,
    }));
    const wire = encodeSiteBatch({ site: 'zhoushan-demo', samples: many, positions: many.map((_, i) => i), origin: 'AbCdEfGhIjKlMnOpQrStUv' }).length;
    const lines = many.reduce((n, s) => n + sampleCodec.encode(s).length + 1, 0);
    expect(wire / many.length).toBeLessThan(lines / many.length / 2);
  });

  it('refuses what is not a batch with BUS_DECODE, naming the site', () => {
    const bad = (text: string) => () => decodeSiteBatch(site, new TextEncoder().encode(text));
    expect(bad('{"v":2}')).toThrowError(BusError);
    expect(bad('not json')).toThrowError(/samples of site depot-a: not JSON/);
    expect(bad('{"v":1,"o":"x","s":0,"p":["a"],"t":0,"r":[[5,1,0,0]]}')).toThrowError(/row 0 is not a sample/);
    try {
      bad('[]')();
    } catch (error) {
      expect((error as BusError).code).toBe('BUS_DECODE');
    }
  });
});
