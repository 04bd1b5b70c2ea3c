import type { Point, Sample, Site } from '../model/index.ts';
import { renderTemplate, type HazardDefinition } from '../standards/index.ts';
import type { AlarmSpec } from './alarms/alarm-book.ts';
import { hazardAlarmKey } from './alarms/alarm-keys.ts';
import type { HazardContext, HazardWatcher } from './hazards/hazard-model.ts';
import { hazardParams } from './hazards/hazard-params.ts';

/** The point a collector reports a source's reachability on: `<source id>.online`, a boolean. */
export const onlinePoint = (sourceId: string) => `${sourceId}.online`;

/**
 * `<source>.online` of each of the site's sources, as points of the twin. The collector reports
 * them on change and sends the latest again as the link's heartbeat (collector/link-heartbeat.ts),
 * so they are never stale: a feed that falls silent is the link watch's to find (link-watch.ts).
 * The latest is in the twin for every model to read.
 */
export function sourceOnlinePoints(site: Site): Point[] {
  return site.sources.map((source) => ({
    id: onlinePoint(source.id),
    asset: source.id,
    name: 'online',
    unit: 'bool',
    source: source.id,
    staleAfterMs: Number.POSITIVE_INFINITY,
  }));
}

/**
 * Communications loss is itself alarmed (DESIGN.md): while a source has reported itself offline
 * for the standard's delay, one alarm per source is held; it returns when the source is back.
 */
export function createCommsLossWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const delayMs = hazardParams('comms-loss', definition).number('delaySeconds') * 1000;
  const { site, standard } = context;
  return site.sources.map((source) => {
    const key = hazardAlarmKey('comms-loss', source.id);
    const served = site.points.filter((p) => p.source === source.id);
    const name = { zh: source.id, en: source.id };
    let pending: { unsubscribe(): void } | undefined;
    let offlineSince: number | undefined;

    const raise = () => {
      pending = undefined;
      const values = { protocol: source.protocol, endpoint: source.endpoint, points: served.length, seconds: Math.round(delayMs / 1000) };
      const spec: AlarmSpec = {
        kind: 'comms-loss',
        severity: definition.severity,
        message: renderTemplate(definition.message, values, name),
        actions: definition.actions.map((a) => renderTemplate(a, values, name)),
        subjects: [source.id],
        standard: standard.key,
      };
      context.condition(key, spec, true, context.now());
    };

    const onSample = (sample: Sample) => {
      if (sample.quality !== 'good' || typeof sample.value !== 'boolean') return; // an unreadable report changes nothing
      if (!sample.value) {
        if (offlineSince !== undefined) return;
        offlineSince = context.now();
        pending = context.schedule(raise, delayMs);
        return;
      }
      offlineSince = undefined;
      pending?.unsubscribe();
      pending = undefined;
      context.condition(key, undefined, false, context.now());
    };
    return { points: [onlinePoint(source.id)], onSample };
  });
}
