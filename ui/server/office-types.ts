/** The answers of the office's routes across sites (the ranking, the region's map), as the web app reads them. */
import type { Bilingual, RiskColour } from '../../model/index.ts';
import type { ScoreDay } from './report/monthly-data.ts';

export type { ScoreDay };

/** One site in GET /api/ranking: its score now, its score `days` ago, and the lowest of each day between. */
export interface RankedSite {
  site: string;
  name: Bilingual;
  score: number | null;
  risk: RiskColour | null;
  /** the recorded score at the start of the trend; null when none was recorded by then */
  scoreThen: number | null;
  /** score − scoreThen, when both are known */
  change: number | null;
  trend: ScoreDay[];
}

/** GET /api/map: the land around the sites the user sees, cut to their box. */
export interface RegionMap {
  /** [west, south, east, north] in degrees; null when the user sees no site */
  bbox: [number, number, number, number] | null;
  /** polygons, each an outer ring then its holes; points [lon, lat] */
  land: [number, number][][][];
  /** each site's plan extent in metres, east and north of its location: its footprint on the map */
  footprints: Record<string, { width: number; height: number }>;
  /** where the land comes from: shown under the map */
  credits: { data: string; edition: string; scale: string; licence: string; package: string; version: string };
}
