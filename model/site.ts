import type { z } from 'zod';
import type { assetSchema, pointSchema, siteSchema, sourceSchema } from './site-schema.ts';

export type SiteDefinition = z.infer<typeof siteSchema>;
export type Source = z.infer<typeof sourceSchema>;
export type OpcuaSource = Extract<Source, { protocol: 'opcua' }>;
export type ModbusSource = Extract<Source, { protocol: 'modbus' }>;
export type MqttSource = Extract<Source, { protocol: 'mqtt' }>;
export type CapSource = Extract<Source, { protocol: 'cap' }>;
export type Asset = z.infer<typeof assetSchema>;
export type AssetKind = Asset['kind'];
export type Tank = Extract<Asset, { kind: 'tank' }>;
export type Dike = Extract<Asset, { kind: 'dike' }>;
export type CongestedArea = Extract<Asset, { kind: 'congested-area' }>;

/** A point with its id and effective staleness filled in. */
export type Point = z.infer<typeof pointSchema> & { id: string; staleAfterMs: number };

/** A validated site: the definition with points resolved. */
export interface Site extends Omit<SiteDefinition, 'points'> {
  points: Point[];
}
