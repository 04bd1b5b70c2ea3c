import type { Logger } from 'pino';
import type { Site } from '../model/index.ts';
import { createCapSource } from './cap/cap-source.ts';
import { createModbusSource } from './modbus/modbus-source.ts';
import { createMqttSource } from './mqtt/mqtt-source.ts';
import { createOpcuaSource } from './opcua/opcua-source.ts';
import type { Source } from './source.ts';

export interface SiteSourcesOptions {
  /** default home of OPC-UA PKI folders: <dataDir>/pki/<source id> (default ./data) */
  dataDir?: string;
  /** where passwordEnv variables are looked up (default process.env) */
  env?: Record<string, string | undefined>;
}

/** One Source per source of the site, each with the points it serves. Nothing connects until start(). */
export function createSiteSources(site: Site, logger?: Logger, options: SiteSourcesOptions = {}): Source[] {
  return site.sources.map((source) => {
    const points = site.points.filter((p) => p.source === source.id);
    switch (source.protocol) {
      case 'opcua':
        return createOpcuaSource({ site: site.id, source, points, logger, dataDir: options.dataDir, env: options.env });
      case 'modbus':
        return createModbusSource({ site: site.id, source, points, logger });
      case 'mqtt':
        return createMqttSource({ site: site.id, source, points, logger, env: options.env });
      case 'cap':
        return createCapSource({ site: site.id, location: site.location, source, points, logger });
    }
  });
}
