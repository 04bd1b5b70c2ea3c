import type { Logger } from 'pino';
import type { Site } from '../model/index.ts';
import { createModbusSource } from './modbus/modbus-source.ts';
import { createOpcuaSource } from './opcua/opcua-source.ts';
import type { Source } from './source.ts';

/** One Source per source of the site, each with the points it serves. Nothing connects until start(). */
export function createSiteSources(site: Site, logger?: Logger): Source[] {
  return site.sources.map((source) => {
    const points = site.points.filter((p) => p.source === source.id);
    return source.protocol === 'opcua'
      ? createOpcuaSource({ site: site.id, source, points, logger })
      : createModbusSource({ site: site.id, source, points, logger });
  });
}
