import { z } from 'zod';

/**
 * What a site file says about a warning feed: a source (`protocol: cap`) that polls a CAP 1.2 feed of a
 * meteorological (or any other) warning service — GB/T 35965.1 in China — and, on each of its points,
 * which warnings it follows and what of them it reports. collector/cap/README.md is the sample configuration.
 */

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, "-" and "_"');

export const capSourceSchema = z
  .strictObject({
    id,
    protocol: z.literal('cap'),
    /** an Atom feed whose entries carry CAP 1.2 alerts (as ketwin's own /cap/feed.xml), or one CAP alert */
    endpoint: z.string().regex(/^https?:\/\/[^/\s]+(\/\S*)?$/, 'must be an http:// or https:// URL of a CAP feed'),
    /**
     * the site's area as GB/T 2260 region codes: a warning is for the site when one of its areas names one of
     * these, or the city or province that holds one (410100 and 410000 hold 410105). Warnings whose areas carry
     * a polygon or circle are for the site when it lies inside, with or without codes.
     */
    areaCodes: z.array(z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 region code')).default([]),
    pollIntervalMs: z.number().positive().default(60_000),
    timeoutMs: z.number().positive().default(10_000),
    /** a feed that has not answered this long makes its points stale; more than one poll interval (default three of the default) */
    staleAfterMs: z.number().positive().default(180_000),
  })
  .superRefine((source, ctx) => {
    if (source.staleAfterMs <= source.pollIntervalMs)
      ctx.addIssue({ code: 'custom', path: ['staleAfterMs'], message: `staleAfterMs must be longer than pollIntervalMs (${source.pollIntervalMs} ms)` });
  });

/** what a point reports of the strongest warning in force for the site */
export const CAP_WARNING_FIELDS = ['level', 'colour', 'onset', 'expires'] as const;

export const capMappingSchema = z.strictObject({
  /** the warnings followed: a CAP `event` text or an `eventCode` value (GB/T 35965.1 event type, e.g. 11B03 for rainstorm) */
  events: z.array(z.string().min(1)).min(1),
  /**
   * level: 0 none in force, 1 blue, 2 yellow, 3 orange, 4 red; colour: none | blue | yellow | orange | red;
   * onset, expires: ms since the epoch of the strongest warning in force, 0 when none
   */
  field: z.enum(CAP_WARNING_FIELDS),
});

export type CapMapping = z.infer<typeof capMappingSchema>;
export type CapWarningField = (typeof CAP_WARNING_FIELDS)[number];
