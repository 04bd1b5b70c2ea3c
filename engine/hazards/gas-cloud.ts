import type { Asset, Bilingual, GeoFeature, IncidentDetails, Sample, Tank } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { downwind, reaches, swept } from './gas-cloud-extent.ts';
import { planToWgs84, polygonFeatures, type PlanPoint } from './geo.ts';
import { hazardSpec } from './incident-parts.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { windNow, windPoints } from './wind.ts';

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

const CLOUD: Bilingual = { zh: '估算可燃气云', en: 'Estimated flammable cloud' };
const CORDON: Bilingual = { zh: '警戒隔离区', en: 'Cordon' };

/**
 * Gas cloud: the site's combustible gas detectors against their own configured first and second
 * alarm set-points (`alarm1` / `alarm2` on the detector, the values the GB/T 50493 set-point clause
 * checks). While any is in alarm, one incident for the site: the cloud estimated as the area within
 * the detector reach of every detector in alarm, stretched downwind (or to every side when the wind
 * is unknown or calm) by the first- or second-alarm length; the cordon around it; the ignition sources and
 * assets that lie inside. A detector that reached its second alarm keeps the larger zones until it
 * leaves the cloud, which it does after reading below its first alarm for `clearDelaySeconds` — so
 * readings swinging about a set-point do not redraw the zones. Re-issued when the detectors in the
 * cloud, their levels or the detectors without a good reading change, or the wind turns by more than
 * `windShiftDeg`; returns when none is left. A detector whose reading turns bad or stale keeps its
 * state: a silent detector in a cloud is never taken as clear.
 */
export function createGasCloudWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('gas-cloud', definition);
  const reachM = params.number('detectorReachM');
  const [firstLengthM, secondLengthM] = lengths(params.list('downwindM'));
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
  let held: { signature: string; fromDeg: number | undefined; spec: AlarmSpec } | undefined;

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

  const build = (alarming: Watched[], unreadable: string[], now: IncidentDetails['wind']): AlarmSpec => {
    const second = alarming.some((w) => w.level === 2);
    const lengthM = second ? secondLengthM : firstLengthM;
    const positions = alarming.map((w) => w.detector.position);
    const from = blowingFrom(now);
    const towards = from === undefined ? undefined : downwind(from);
    const cloud = towards ? swept(positions, reachM, scale(towards, lengthM)) : swept(positions, reachM + lengthM);
    const cordonShift = second && towards ? scale(towards, evacuationM) : undefined;
    const cordon = swept(cloud, second && !towards ? isolationM + evacuationM : isolationM, cordonShift);
    const inCloud = site.assets.filter((a) => a.kind !== 'gas-detector' && reaches(a, cloud));
    const ignitionInCordon = ignitionSources.filter((a) => reaches(a, cordon));
    // outer first: the cordon, then the cloud on it, then what each detector in the cloud stands for
    const zones = [
      polygonFeatures(site.location, cordon, { name: CORDON, kind: 'cordon', isolationM, ...(second ? { downwindEvacuationM: evacuationM } : {}) }),
      polygonFeatures(site.location, cloud, { name: CLOUD, kind: 'gas-cloud', lengthM }),
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
      lengthM,
      downwind: from === undefined ? '—' : `${Math.round((from + 180) % 360)}°`,
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
      held = undefined;
      return context.condition(key, undefined, false, at); // the usual case, once per instant with gas readings: nothing to copy
    }
    const now = windNow(context, wind);
    const signature = signatureNow();
    const from = blowingFrom(now);
    if (!held || held.signature !== signature || windShifted(held.fromDeg, from, windShiftDeg)) {
      const alarming = detectors.filter((w) => w.level > 0);
      held = { signature, fromDeg: from, spec: build(alarming, detectors.filter(unreadable).map((w) => w.detector.id), now) };
    }
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

/** The wind came up, dropped out, or turned by more than `limitDeg` since the incident was last issued. */
function windShifted(heldDeg: number | undefined, nowDeg: number | undefined, limitDeg: number): boolean {
  if (heldDeg === undefined || nowDeg === undefined) return heldDeg !== nowDeg;
  const turn = Math.abs(nowDeg - heldDeg) % 360;
  return Math.min(turn, 360 - turn) > limitDeg;
}

function lengths(list: number[]): [number, number] {
  const [first, second = first] = list;
  return [first!, second!];
}

const scale = (v: PlanPoint, by: number): PlanPoint => ({ x: v.x * by, y: v.y * by });
