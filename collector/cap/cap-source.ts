import { pino, type Logger } from 'pino';
import { systemClock, type CapSource, type Point, type SampleValue } from '../../model/index.ts';
import { createOnlineSignal } from '../online-signal.ts';
import { createSourceFigures } from '../source-figures.ts';
import { sourceLife } from '../source-life.ts';
import { CollectorError, onlinePointId, type SampleSink, type Source } from '../source.ts';
import { createWarnLimiter } from '../warn-limiter.ts';
import { CapFeedError, readCapDocument, type CapAlert } from './cap-feed.ts';
import { warningInForce, type SitePlace, type WarningState } from './warnings-in-force.ts';

export interface CapSourceOptions {
  /** site id stamped on every sample */
  site: string;
  /** where the site is: warnings are read for this place */
  location: { lat: number; lon: number };
  source: CapSource;
  /** the points read from this feed (each with a `cap` mapping) */
  points: Point[];
  logger?: Logger;
  now?: () => number;
}

/**
 * Warnings in: polls a CAP 1.2 feed (an Atom feed of CAP alerts, or one alert) every pollIntervalMs and
 * reports, per point, the strongest warning of its events in force for the site — its level, colour, onset
 * or expiry. Between polls the points are reported again when a warning's onset or expiry comes. Reads only:
 * a GET of the feed.
 */
export function createCapSource(options: CapSourceOptions): Source {
  const { site, source } = options;
  const where = `CAP feed ${source.id} (${source.endpoint})`;
  validate(options, where);
  const place: SitePlace = { areaCodes: source.areaCodes, lat: options.location.lat, lon: options.location.lon };
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ site, source: source.id, endpoint: source.endpoint });
  const now = options.now ?? systemClock.now;
  const figures = createSourceFigures(now);

  return sourceLife(source.id, 'cap', where, figures, (sink) => poll(sink));

  function poll(sink: SampleSink): { stop(): Promise<void> } {
    const warnings = createWarnLimiter(logger, { now });
    const good = new Map<string, boolean>();
    const last = new Map<string, SampleValue>();
    const online = createOnlineSignal(options.points.length, (value, reason) => {
      figures.online = value;
      sink({ site, point: onlinePointId(source.id), value, quality: 'good', ts: now(), ...(reason ? { reason } : {}) });
    });
    const deliver = (point: Point, value: SampleValue | undefined, bad: string | undefined, ts: number) => {
      const wasGood = good.get(point.id) ?? false;
      figures.meter.add();
      online.reading(bad === undefined, wasGood, bad);
      good.set(point.id, bad === undefined);
      if (bad === undefined) {
        last.set(point.id, value!);
        sink({ site, point: point.id, value: value!, quality: 'good', ts });
      } else sink({ site, point: point.id, value: last.get(point.id) ?? Number.NaN, quality: 'bad', reason: bad, ts });
    };

    let alerts: CapAlert[] | undefined;
    let stopped = false;
    let pollTimer: NodeJS.Timeout | undefined;
    let boundaryTimer: NodeJS.Timeout | undefined;
    let inFlight: AbortController | undefined;
    let lastFailure: string | undefined;
    /** the alerts of linked CAP documents, by URL */
    const linked = new Map<string, CapAlert[]>();

    /** every point from the alerts last read, at `at`; a timer for the next onset or expiry */
    const report = (at: number) => {
      clearTimeout(boundaryTimer);
      if (!alerts) return;
      let next: number | undefined;
      const byEvents = new Map<string, WarningState>();
      for (const point of options.points) {
        const events = point.cap!.events;
        const key = events.join('\u0000');
        const state = byEvents.get(key) ?? byEvents.set(key, warningInForce(alerts, events, place, at)).get(key)!;
        if (state.next !== undefined && (next === undefined || state.next < next)) next = state.next;
        if ('unreadable' in state) deliver(point, undefined, state.unreadable, at);
        else deliver(point, state[point.cap!.field], undefined, at);
      }
      if (next !== undefined && !stopped) boundaryTimer = setTimeout(() => report(now()), Math.max(0, next - now()) + 1);
    };

    /** no warnings can be told: every point bad with the reason, once per outage; `unreachable`: offline at once */
    const fail = (reason: string, unreachable: boolean) => {
      alerts = undefined;
      clearTimeout(boundaryTimer);
      warnings.warn(reason, { reason }, `${where}: ${reason}`);
      if (reason === lastFailure) return;
      lastFailure = reason;
      if (unreachable) online.lost(reason);
      const ts = now();
      for (const point of options.points) deliver(point, undefined, reason, ts);
    };

    const once = async () => {
      const started = now();
      const controller = new AbortController();
      inFlight = controller;
      const timeout = setTimeout(() => controller.abort(new Error('timeout')), source.timeoutMs);
      try {
        const response = await fetch(source.endpoint, { signal: controller.signal, headers: ACCEPT });
        const body = await response.text();
        if (!response.ok) return fail(`HTTP ${response.status} from the feed`, true);
        const feed = readCapDocument(body);
        // entries that link to their CAP documents instead of embedding them: each fetched once (a CAP message is never changed; an update is a new one)
        const urls = feed.links.map((href) => new URL(href, source.endpoint).href);
        for (const url of urls) {
          if (linked.has(url)) continue;
          const answer = await fetch(url, { signal: controller.signal, headers: ACCEPT });
          const text = await answer.text();
          if (!answer.ok) return fail(`HTTP ${answer.status} from the linked alert ${url}`, true);
          try {
            linked.set(url, readCapDocument(text).alerts);
          } catch (error) {
            if (error instanceof CapFeedError) throw new CapFeedError(`the linked alert ${url}: ${error.message}`);
            throw error;
          }
        }
        for (const url of linked.keys()) if (!urls.includes(url)) linked.delete(url);
        figures.lastLatencyMs = now() - started;
        alerts = [...feed.alerts, ...urls.flatMap((url) => linked.get(url)!)];
        if (lastFailure !== undefined) figures.reconnects++;
        lastFailure = undefined;
        report(now());
      } catch (error) {
        if (stopped) return;
        if (error instanceof CapFeedError) return fail(`malformed feed: ${error.message}`, false);
        fail(`not connected (${failureCode(error, controller.signal)})`, true);
      } finally {
        clearTimeout(timeout);
        inFlight = undefined;
      }
    };

    const loop = async () => {
      await once();
      if (!stopped) pollTimer = setTimeout(() => void loop(), source.pollIntervalMs);
    };
    void loop();

    return {
      async stop() {
        stopped = true;
        clearTimeout(pollTimer);
        clearTimeout(boundaryTimer);
        inFlight?.abort(new Error('stopped'));
        warnings.stop();
      },
    };
  }
}

const ACCEPT = { accept: 'application/atom+xml, application/rss+xml, application/cap+xml, application/xml;q=0.9, */*;q=0.5' };

/** ECONNREFUSED, ENOTFOUND, timeout, … from what fetch threw */
function failureCode(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof Error ? signal.reason.message : 'aborted';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return (error as Error).message;
}

/** Every setting checked here too, since a source built in code skips the schema. */
function validate({ source, points }: CapSourceOptions, where: string): void {
  if (source.protocol !== 'cap') throw new CollectorError('COLLECTOR_CONFIG', `${where}: protocol is ${String(source.protocol)}, not cap`);
  let url: URL;
  try {
    url = new URL(source.endpoint);
  } catch {
    throw new CollectorError('COLLECTOR_CONFIG', `${where}: endpoint is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CollectorError('COLLECTOR_CONFIG', `${where}: endpoint must be http:// or https://`);
  for (const point of points) {
    if (point.source !== source.id) throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} belongs to source ${point.source}`);
    if (!point.cap) throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} has no cap mapping`);
    if (point.unit !== 'state')
      throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} reports a warning's ${point.cap.field}: its unit must be state, not ${point.unit}`);
  }
}
