import type { SampleValue, Site } from '../model/index.ts';
import type { MqttDevices } from './mqtt-devices.ts';
import type { SignalColour, WarningFeed } from './warning-feed.ts';

/**
 * The `rainstorm` scenario of an early-works district (sim/early-works-district.ts): the meteorological
 * office raises a yellow rainstorm signal, then red; water enters two works — W03, whose entrance barrier
 * was never put in place, with its pumps keeping up, and W08, whose pump fails and where people are inside.
 * Readings are by work id and point name; every other work stays dry, its barrier and doors closed once the
 * warning is raised, as its staff would.
 */
export interface RainstormStep {
  minute: number;
  what: { zh: string; en: string };
  warning?: SignalColour;
  /** work id → point name → value */
  readings?: Record<string, Record<string, SampleValue>>;
  /** every work but those named in `readings` */
  everyWork?: Record<string, SampleValue>;
}

export const DRY_WORK: Record<string, SampleValue> = {
  water_level: 0.05,
  water_inflow: 0,
  pump_flow: 0,
  pump_available: true,
  pump_power: true,
  barrier_closed: false,
  door_closed: false,
  occupied: false,
};

export const RAINSTORM: RainstormStep[] = [
  { minute: 0, what: { zh: '天气平稳，各工程无积水', en: 'Fair weather; every work dry' } },
  {
    minute: 1,
    what: {
      zh: '气象台发布暴雨黄色预警信号；各工程放置挡水板、关闭防护门（W03 未放）',
      en: 'Yellow rainstorm signal; the works put their barriers in and close their doors (W03 does not)',
    },
    warning: 'yellow',
    everyWork: { barrier_closed: true, door_closed: true },
    readings: { W03: { barrier_closed: false, door_closed: true } },
  },
  {
    minute: 3,
    what: { zh: 'W03、W08 进水', en: 'Water enters W03 and W08' },
    readings: {
      W03: { water_level: 0.12, water_inflow: 40, pump_flow: 60 },
      W08: { water_level: 0.15, water_inflow: 90, pump_flow: 60 },
    },
  },
  {
    minute: 5,
    what: { zh: '暴雨红色预警信号；W08 排水泵故障', en: 'Red rainstorm signal; the pump of W08 fails' },
    warning: 'red',
    readings: { W08: { water_level: 0.28, pump_available: false, pump_flow: 0 } },
  },
  { minute: 6, what: { zh: 'W08 达报警水位，工程内有人员', en: 'W08 at its alarm level, with people inside' }, readings: { W08: { water_level: 0.35, occupied: true } } },
  { minute: 8, what: { zh: 'W08 水位继续上涨', en: 'The water in W08 keeps rising' }, readings: { W08: { water_level: 0.6 } } },
];

export interface RainstormOptions {
  sites: Site[];
  /** each site's devices, by site id */
  devices: Map<string, MqttDevices>;
  feed: WarningFeed;
  /** how long a scenario minute lasts (default a minute) */
  minuteMs?: number;
  /** how often every work reports its readings again, as devices that report periodically (default 30 s) */
  repeatMs?: number;
  steps?: RainstormStep[];
}

export interface RainstormPlayback {
  /** resolves after the last step has been published */
  readonly done: Promise<void>;
  stop(): void;
}

export function playRainstorm(options: RainstormOptions): RainstormPlayback {
  const steps = options.steps ?? RAINSTORM;
  const minuteMs = options.minuteMs ?? 60_000;
  const workOf = (site: Site) => site.assets.find((a) => a.kind === 'shelter')!.id;
  const state = new Map(options.sites.map((site) => [site.id, { ...DRY_WORK }]));
  const timers: NodeJS.Timeout[] = [];
  const publish = async (site: Site) => {
    const work = workOf(site);
    const readings: Record<string, SampleValue> = Object.fromEntries(Object.entries(state.get(site.id)!).map(([name, value]) => [`${work}.${name}`, value]));
    // the district's sirens stay quiet through the storm (they report their status with the work's devices)
    for (const siren of site.assets.filter((a) => a.kind === 'siren')) readings[`${siren.id}.sounding`] = false;
    await options.devices.get(site.id)?.publish(readings);
  };
  const apply = async (step: RainstormStep) => {
    if (step.warning) options.feed.signal('rainstorm', step.warning);
    for (const site of options.sites) {
      const named = step.readings?.[workOf(site)];
      Object.assign(state.get(site.id)!, named ? {} : step.everyWork, named ?? {});
      await publish(site);
    }
  };
  let stopped = false;
  const repeat = setInterval(() => void Promise.all(options.sites.map(publish)).catch(() => undefined), options.repeatMs ?? 30_000);
  const done = new Promise<void>((resolve, reject) => {
    let chain = Promise.resolve();
    for (const [i, step] of steps.entries())
      timers.push(
        setTimeout(() => {
          chain = chain.then(() => (stopped ? undefined : apply(step)));
          if (i === steps.length - 1) chain.then(resolve, reject);
        }, step.minute * minuteMs),
      );
  });
  return {
    done,
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      clearInterval(repeat);
    },
  };
}
