/**
 * Names on the broker. Each site has one stream, `<prefix>_<site>`, holding its subjects
 * `<prefix>.<site>.samples | events | commands | health | dead` (listed one by one: nothing else lands
 * there). A site id (letters, digits, "-", "_") is a valid subject token and stream name as it is.
 */
import { BusError } from '../bus-errors.ts';
import type { BusChannel } from '../bus.ts';

const TOKEN = /^[A-Za-z][A-Za-z0-9_-]*$/;

export interface SiteNames {
  stream: string;
  samples: string;
  dead: string;
  channel(channel: BusChannel): string;
  all: string[];
}

export function checkPrefix(prefix: string): string {
  if (!TOKEN.test(prefix)) throw new BusError('BUS_CONFIG', `bus prefix "${prefix}": must start with a letter and hold only letters, digits, "-" and "_"`);
  return prefix;
}

export function siteNames(prefix: string, site: string): SiteNames {
  if (!TOKEN.test(site)) throw new BusError('BUS_CONFIG', `site "${site}": not a subject token (letters, digits, "-", "_", starting with a letter)`);
  const subject = (leaf: string) => `${prefix}.${site}.${leaf}`;
  return {
    stream: `${prefix}_${site}`,
    samples: subject('samples'),
    dead: subject('dead'),
    channel: (channel) => subject(channel),
    all: ['samples', 'events', 'commands', 'health', 'dead'].map(subject),
  };
}

/** A durable consumer's name: the subscriber's name and what it reads (letters, digits, "-", "_"). */
export function durableName(subscriber: string, leaf: string): string {
  if (!TOKEN.test(subscriber)) throw new BusError('BUS_CONFIG', `subscriber "${subscriber}": must start with a letter and hold only letters, digits, "-" and "_"`);
  return `${subscriber}_${leaf}`;
}
