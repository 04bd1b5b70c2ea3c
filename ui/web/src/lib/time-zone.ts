/**
 * The time zone a page writes its instants in: the site's where the page shows one site (set by
 * that page for everything under it), otherwise this browser's. Components take their formatter
 * with `useTimeFormat()` during initialisation.
 */
import { getContext, setContext } from 'svelte';
import type { Locale } from './locale.svelte.ts';
import { getLocale } from './context.ts';
import { browserTimeZone, formatClock, formatDay, formatInstant, formatRelative } from './datetime.ts';

const KEY = Symbol('time zone');

/** For the page's subtree: the zone to write its instants in (read when formatting, so a site loaded later counts). */
export function setTimeZone(zone: () => string | undefined): void {
  setContext(KEY, zone);
}

export function getTimeZone(): () => string {
  const zone = getContext<(() => string | undefined) | undefined>(KEY);
  return () => zone?.() ?? browserTimeZone();
}

export interface TimeFormat {
  /** "2026-12-05 14:03:07 GMT+8" */
  (ms: number): string;
  clock(ms: number): string;
  day(ms: number): string;
  /** "3 min ago" from now */
  ago(ms: number, now: number): string;
  zone(): string;
}

/** The page's time formatter in the chosen language and the page's zone. */
export function useTimeFormat(locale: Locale = getLocale()): TimeFormat {
  const zone = getTimeZone();
  const format = ((ms: number) => formatInstant(locale.lang, ms, zone())) as TimeFormat;
  format.clock = (ms) => formatClock(locale.lang, ms, zone());
  format.day = (ms) => formatDay(locale.lang, ms, zone());
  format.ago = (ms, now) => formatRelative(locale.lang, ms, now);
  format.zone = zone;
  return format;
}
