import type { Asset, Bilingual, GeoFeature, IncidentDetails, Sample, Tank } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { downwind, reaches, swept } from './gas-cloud-extent.ts';
import { createPlumeExtent, type Extent } from './gas-cloud-plume.ts';
import { planToWgs84, polygonFeatures, type PlanPoint } from './geo.ts';
import { hazardSpec } from './incident-parts.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { windNow, windPoints, windShifted } from './wind.ts';

type GasDetector = Extract<Asset, { kind: 'gas-detector' }>;
/** 0 clear, 1 over its first alarm, 2 has reached its second (latched while the detector stays in the cloud) */
type AlarmLevel = 0 | 1 | 2;

interface Watched {
  detector: GasDetector;
  alarm1: number;
  alarm2: number;
  level: AlarmLevel;
  /** below its first alarm since: it leaves the cloud when the clear delay has passed */
  clearing: { at: number; timer: { unsubscribe(): void } } | undefined;
  /** the latest reading, good or not, and the latest good value */
  reading: Sample | undefined;
  lastGood: number | undefined;
}

const CLOUD: Bilingual = { zh: '估算可燃气云（爆炸下限）', en: 'Estimated flammable cloud (LEL)' };
const HALF_LEL: Bilingual = { zh: '½ 爆炸下限范围', en: '½ LEL' };
const CORDON: Bilingual = { zh: '警戒隔离区', en: 'Cordon' };

/**
 * Gas cloud: the site's combustible gas detectors against their own configured first and second
 * alarm set-points (`alarm1` / `alarm2` on the detector, the values the GB/T 50493 set-point clause
 * checks). While any is in alarm, one incident for the site: the cloud to the LEL and to ½ LEL as a
 * Gaussian plume from each detector in alarm (gas-cloud-plume.ts: Pasquill–Gifford stability from the
 * wind, the sun and the cloud cover; the standard's design release for the alarm level), never less
 * than the detector reach around each; "extent unknown" — the worst case to every side — when the wind
 * is missing, not good or calm; the cordon around ½ LEL; the ignition sources and assets that lie
 * inside. A detector that reached its second alarm keeps the larger release until it leaves the
 * cloud, which it does after reading below its first alarm for `clearDelaySeconds` — so readings
 * swinging about a set-point do not redraw the zones. Re-issued when the detectors in the cloud, their
 * levels or the detectors without a good reading change, the wind turns by more than `windShiftDeg`,
 * the stability class changes or the LEL distance moves by more than `redrawFraction`; returns when
 * none is left. A detector whose reading turns bad or stale keeps its state: a silent detector in a
 * cloud is never taken as clear. `onCloud` hears the flammable cloud (LEL) each time it is drawn, and
 * undefined when it is gone (the vapour cloud explosion model).
 */
export function createGasCloudWatchers(
  context: HazardContext,
  definition: HazardDefinition,
  onCloud?: (lel: PlanPoint[] | undefined, wind: IncidentDetails['wind'], at: number) => void,
): HazardWatcher[] {
  const params = hazardParams('gas-cloud', definition);
  const reachM = params.number('detectorReachM');
  const redrawFraction = params.number('redrawFraction');
  const recheckMs = params.number('recheckSeconds') * 1000;
  const isolationM = params.number('isolationM');
  const evacuationM = params.number('downwindEvacuationM');
  const windShiftDeg = params.number('windShiftDeg');
  const clearDelayMs = params.number('clearDelaySeconds') * 1000;
  const calmBelowMs = params.number('calmBelowMs');
  const density = params.table('density');
  const { site, standard } = context;

  const watched = new Map<string, Watched>();
  for (const detector of site.assets) {
    if (detector.kind !== 'gas-detector' || detector.attributes.gas !== 'combustible') continue;
    const point = site.points.find((p) => p.asset === detector.id && p.name === 'gas');
    const { alarm1, alarm2 } = detector.attributes;
    if (!point) continue;
    if (alarm1 === undefined || alarm2 === undefined) {
      context.logger.warn({ detector: detector.id }, 'gas-cloud: detector without alarm1/alarm2 set-points is not watched');
      continue;
    }
    watched.set(point.id, { detector, alarm1, alarm2, level: 0, clearing: undefined, reading: undefined, lastGood: undefined });
  }
  if (watched.size === 0) return [];
  const wind = windPoints(site);
  const ignitionSources = site.assets.filter((a) => isIgnitionSource(a, definition.kinds));
  const key = hazardAlarmKey('gas-cloud', site.id);
  const plume = createPlumeExtent(context, definition);
  let held: { signature: string; fromDeg: number | undefined; wind: IncidentDetails['wind']; checkedAt: number; extent: Extent; spec: AlarmSpec } | undefined;

  /** the direction the wind carries the cloud from; none when it is unknown or too light to carry it one way */
  const blowingFrom = (now: IncidentDetails['wind']) => (now && now.speedMs >= calmBelowMs ? now.fromDeg : undefined);

  const stopClearing = (w: Watched) => {
    w.clearing?.timer.unsubscribe();
    w.clearing = undefined;
  };
  /** every detector whose delay is up leaves at once: one re-issue (or the return), not one per detector */
  const clearDue = () => {
    const now = context.now();
    for (const w of watched.values()) {
      if (w.clearing && w.clearing.at + clearDelayMs <= now) {
        w.clearing = undefined;
        w.level = 0;
      }
    }
    evaluate();
  };
  /** a good reading: over a set-point joins (or raises the level of) the cloud; below the first alarm leaves it after the delay */
  const read = (w: Watched, v: number) => {
    const now: AlarmLevel = v >= w.alarm2 ? 2 : v >= w.alarm1 ? 1 : 0;
    if (now > 0) {
      stopClearing(w);
      w.level = Math.max(w.level, now) as AlarmLevel;
    } else if (w.level > 0 && !w.clearing) {
      w.clearing = { at: context.now(), timer: context.schedule(clearDue, clearDelayMs) };
    }
  };

  const extentOf = (alarming: Watched[], now: IncidentDetails['wind']) =>
    plume.extent(
      alarming.map((w) => ({ position: w.detector.position, level: w.level === 2 ? 2 : 1, lelKgM3: plume.lelOf(w.detector.attributes.watches) })),
      now,
      context.now(),
    );

  const build = (alarming: Watched[], unreadable: string[], now: IncidentDetails['wind'], extent: Extent): AlarmSpec => {
    const second = alarming.some((w) => w.level === 2);
    const from = blowingFrom(now);
    const towards = extent.known && from !== undefined ? downwind(from) : undefined;
    const cloud = extent.lel;
    const cordonShift = second && towards ? scale(towards, evacuationM) : undefined;
    const cordon = swept(extent.halfLel, second && !towards ? isolationM + evacuationM : isolationM, cordonShift);
    const inCloud = site.assets.filter((a) => a.kind !== 'gas-detector' && reaches(a, cloud));
    const ignitionInCordon = ignitionSources.filter((a) => reaches(a, cordon));
    // outer first: the cordon, then ½ LEL, then the cloud (LEL) on it, then what each detector in the cloud stands for
    const plumeProps = { stability: extent.stability, windMs: extent.speedMs, extentKnown: extent.known };
    const zones = [
      polygonFeatures(site.location, cordon, { name: CORDON, kind: 'cordon', isolationM, ...(second ? { downwindEvacuationM: evacuationM } : {}) }),
      polygonFeatures(site.location, extent.halfLel, { name: HALF_LEL, kind: 'half-lel', lengthM: extent.halfLelM, ...plumeProps }),
      polygonFeatures(site.location, cloud, { name: CLOUD, kind: 'gas-cloud', lengthM: extent.lelM, ...plumeProps }),
    ];
    const detectorFeatures = (pick: 'plan' | 'wgs84'): GeoFeature[] =>
      alarming.map((w) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: pick === 'plan' ? [w.detector.position.x, w.detector.position.y] : planToWgs84(site.location, w.detector.position) },
        properties: { name: w.detector.name, kind: 'gas-detector', asset: w.detector.id, radiusM: reachM, alarm: w.level, lel: w.lastGood },
      }));
    const watchedTanks = site.assets.filter((a): a is Tank => a.kind === 'tank' && (inCloud.includes(a) || alarming.some((w) => w.detector.attributes.watches === a.id)));
    const incident: IncidentDetails = {
      hazard: 'gas-cloud',
      zones: { type: 'FeatureCollection', features: [...zones.map((z) => z.wgs84), ...detectorFeatures('wgs84')] },
      planZones: { type: 'FeatureCollection', features: [...zones.map((z) => z.plan), ...detectorFeatures('plan')] },
      affected: [...alarming.map((w) => w.detector.id), ...inCloud.map((a) => a.id)],
      inventory: watchedTanks.flatMap((t) => inventoryOf(t)),
      countdowns: [],
      wind: now,
    };
    const values = {
      count: alarming.length,
      second: alarming.filter((w) => w.level === 2).length,
      detectors: alarming.map((w) => `${w.detector.id} ${w.lastGood} %LEL`).join(', '),
      lengthM: extent.lelM,
      halfLelM: extent.halfLelM,
      extent: extent.words,
      downwind: towards === undefined || from === undefined ? '—' : `${Math.round((from + 180) % 360)}°`,
      isolationM,
      ignition: ignitionInCordon.map((a) => a.id).join(', ') || '—',
      assets: inCloud.map((a) => a.id).join(', ') || '—',
      unreadable: unreadable.join(', ') || '—',
    };
    // one cloud for the site: taking an asset out of service must not suppress it (the affected assets group alarms under it)
    return hazardSpec(definition, standard, 'gas-cloud', { values, name: site.name, subjects: [site.id], incident });
  };

  const inventoryOf = (tank: Tank) => {
    const level = context.latest(`${tank.id}.level`);
    if (level?.quality !== 'good' || typeof level.value !== 'number') return [];
    const tonnes = Math.round(level.value * ((Math.PI * tank.attributes.diameter ** 2) / 4) * (density[tank.attributes.product] ?? 0));
    return [{ asset: tank.id, product: tank.attributes.product, tonnes }];
  };

  // the watched detectors never change: an indexed array, no Map iterator on every instant
  const detectors = [...watched.values()];
  const anyAlarming = () => {
    for (let i = 0; i < detectors.length; i++) if (detectors[i]!.level > 0) return true;
    return false;
  };
  const unreadable = (w: Watched) => w.reading !== undefined && w.reading.quality !== 'good';
  /** the detectors' levels and readability the signature was last made from: it is made again only when one changed */
  const signed = { states: detectors.map(() => -1), signature: '' };
  const signatureNow = () => {
    let same = true;
    for (let i = 0; i < detectors.length; i++) {
      const w = detectors[i]!;
      const state = w.level * 2 + (unreadable(w) ? 1 : 0);
      if (signed.states[i] !== state) {
        signed.states[i] = state;
        same = false;
      }
    }
    if (!same) {
      const alarming = detectors.filter((w) => w.level > 0);
      signed.signature = JSON.stringify([alarming.map((w) => [w.detector.id, w.level]), detectors.filter(unreadable).map((w) => w.detector.id)]);
    }
    return signed.signature;
  };
  const evaluate = () => {
    const at = context.now();
    if (!anyAlarming()) {
      if (held) onCloud?.(undefined, undefined, at);
      held = undefined;
      return context.condition(key, undefined, false, at); // the usual case, once per instant with gas readings: nothing to copy
    }
    const now = windNow(context, wind);
    const signature = signatureNow();
    // the usual instant of an open cloud: the same detectors, the same wind, the weather read not long ago — nothing to work out
    if (held && held.signature === signature && sameWind(held.wind, now) && at - held.checkedAt < recheckMs) return context.condition(key, held.spec, true, at);
    const from = blowingFrom(now);
    const alarming = detectors.filter((w) => w.level > 0);
    const extent = extentOf(alarming, now);
    if (!held || held.signature !== signature || windShifted(held.fromDeg, from, windShiftDeg) || extentMoved(held.extent, extent, redrawFraction)) {
      const redraw = !held || held.extent.lel !== extent.lel;
      held = {
        signature,
        fromDeg: from,
        wind: now,
        checkedAt: at,
        extent,
        spec: build(
          alarming,
          detectors.filter(unreadable).map((w) => w.detector.id),
          now,
          extent,
        ),
      };
      if (redraw) onCloud?.(extent.lel, now, at);
    } else held = { ...held, wind: now, checkedAt: at };
    context.condition(key, held.spec, true, at);
  };

  /** once per instant, after every reading of it: a scan's readings of several detectors make one re-issue, not one each */
  let pending: { unsubscribe(): void } | undefined;
  const soon = () => {
    pending ??= context.schedule(() => {
      pending = undefined;
      evaluate();
    }, 0);
  };

  const onSample = (sample: Sample) => {
    const w = watched.get(sample.point);
    if (!w) {
      if (held) soon(); // a wind reading: only matters to an open incident
      return;
    }
    w.reading = sample;
    if (sample.quality === 'good' && typeof sample.value === 'number') {
      read(w, sample.value);
      w.lastGood = sample.value;
    } else stopClearing(w); // a silent detector is not taken as clear
    if (held || w.level > 0) soon(); // all clear and nothing open: nothing to do
  };
  return [{ points: [...watched.keys(), ...(wind ? [wind.speed, wind.direction] : [])], onSample }];
}

/** An ignition source by the site's word (`ignitionSource: true/false` on the asset), else by the hazard's kind list. */
function isIgnitionSource(asset: Asset, kinds: readonly string[]): boolean {
  const marked = (asset.attributes as Record<string, unknown>)['ignitionSource'];
  return typeof marked === 'boolean' ? marked : kinds.includes(asset.kind);
}

const sameWind = (a: IncidentDetails['wind'], b: IncidentDetails['wind']) => a === b || (a !== undefined && b !== undefined && a.speedMs === b.speedMs && a.fromDeg === b.fromDeg);

/** The extent became known or unknown, changed stability class, or its LEL distance moved by more than `fraction`. */
function extentMoved(held: Extent, now: Extent, fraction: number): boolean {
  if (held === now) return false;
  if (held.known !== now.known || held.stability !== now.stability) return true;
  return Math.abs(now.lelM - held.lelM) > fraction * Math.max(held.lelM, 1);
}

const scale = (v: PlanPoint, by: number): PlanPoint => ({ x: v.x * by, y: v.y * by });
