import { z } from 'zod';
import { ASSET_KINDS, CONFIDENCES, SEVERITIES, UNITS } from '../model/index.ts';
import { DURATION_PATTERN } from './duration.ts';

const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const severity = z.literal(SEVERITIES, {
  error: 'must be 1, 2, 3 or 4 (1 most severe)',
});
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier (letters, digits, "_")');
const expression = z.string().trim().min(1, 'must be a CEL expression');
const assetKind = z.enum(ASSET_KINDS, {
  error: (issue) => `unknown asset kind ${JSON.stringify(issue.input)}; expected one of ${ASSET_KINDS.join(', ')}`,
});

const duration = z.string().regex(DURATION_PATTERN, 'must be an ISO 8601 duration such as PT30S, P6M or P1Y');

/** A threshold of a clause: its value (a number, a list, or a table by name), unit and where it comes from. */
const paramSchema = z.strictObject({
  value: z.union([z.number(), z.array(z.number()).min(1), z.record(z.string(), z.number())], {
    error: 'must be a number, a list of numbers or a table of numbers by name',
  }),
  unit: z.enum(UNITS).optional(),
  source: z.string().min(1, 'cite where the number comes from'),
});

const alertSchema = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case'),
  severity,
  /** templates: {name} is the subject's name, {<point>} a reading, {params.x}, {asset.x}, {<derived>} */
  message: bilingual,
  actions: z.array(bilingual).default([]),
});

export const clauseSchema = z
  .strictObject({
    /** the standard's own id style, e.g. GB50074-15.1.2-HH */
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must hold only letters, digits, ".", "-" and "_" (it is used in URLs)'),
    title: bilingual,
    requirement: bilingual,
    source: z.strictObject({ standard: z.string().min(1), clause: z.string().min(1) }),
    confidence: z.enum(CONFIDENCES),
    category: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case'),
    weight: z.number().min(0.1, 'weight out of range: must be 0.1..100').max(100, 'weight out of range: must be 0.1..100'),
    severity,
    /** an asset kind, or "site" */
    appliesTo: z.enum(['site', ...ASSET_KINDS], {
      error: (issue) => `unknown asset kind ${JSON.stringify(issue.input)}; expected "site" or one of ${ASSET_KINDS.join(', ')}`,
    }),
    /** applicability over static site data; subjects where it is false are not-applicable */
    when: expression.optional(),
    /** live: over live points; design: over static site data; evidence: a dated record that expires */
    check: z.enum(['live', 'design', 'evidence'], { error: 'must be live, design or evidence' }),
    /**
     * live: point names read on the subject; "<asset kind>.<point>" reads every asset of the kind on a site
     * clause, and on an asset clause the subject's members of that kind (see `members`)
     */
    reads: z.array(z.string().regex(/^([a-z][a-z0-9-]*\.)?[a-z][a-z0-9_]*$/, 'must be a point name in lower_snake_case, or <asset kind>.<point>')).default([]),
    /**
     * live, on an asset clause: which assets of another kind belong to the subject, by the attribute that names it
     * (`{ tank: dike }`: the tanks whose `dike` is the subject); a "<kind>.<point>" read sees only those
     */
    members: z.partialRecord(assetKind, identifier).default({}),
    /** live: a failure must last this long before the verdict turns fail (ISO 8601, e.g. PT30S) */
    delayOn: duration.optional(),
    /** live: a recovery must last this long before a failing verdict turns pass */
    delayOff: duration.optional(),
    /** live: per read point, how far inside its limit a failing reading must come back before it passes again */
    deadband: z.record(z.string(), z.number().positive()).default({}),
    /** live, with an alert: after a failure the clause stays failing until its alarm is acknowledged with the condition returned (a latched alarm) */
    latch: z.boolean().default(false),
    /** evidence: the record kind that satisfies the clause and how long one stays valid from its date */
    evidence: z
      .strictObject({
        kind: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case'),
        validFor: duration,
        /** with no record at all: fail (a drill never held), or unknown (a figure the twin measures itself, not measured yet) */
        missing: z.enum(['fail', 'unknown']).default('fail'),
      })
      .optional(),
    params: z.record(identifier, paramSchema).default({}),
    /** named static values computed once per subject from the site definition */
    derive: z.record(identifier, expression).default({}),
    /** live: named values computed from the readings on each evaluation and recorded with the verdict */
    compute: z.record(identifier, expression).default({}),
    /** must hold for a pass; optional on evidence clauses (then any valid record passes) */
    expression: expression.optional(),
    alert: alertSchema.optional(),
    /** why `confidence` is what it is, where it is not plain (a secondary copy only, a number that is this guideline's own) */
    confidenceNote: z.string().min(1).optional(),
    /**
     * what this version changed in the clause and why (the changelog prints it): `version` the version that
     * made the change, `replaces` the id the clause had before (a corrected citation renames it), `why` the reason
     */
    changes: z
      .strictObject({
        version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as 1.1.0'),
        replaces: z.string().min(1).optional(),
        why: z.string().min(1, 'say why the clause changed'),
      })
      .optional(),
  })
  .superRefine((clause, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (clause.check === 'live' && clause.reads.length === 0) issue('reads', 'a live clause must read at least one point');
    if (Object.keys(clause.members).length > 0 && (clause.check !== 'live' || clause.appliesTo === 'site'))
      issue('members', 'only a live clause on an asset reads the points of its members');
    if (clause.check !== 'live') {
      for (const field of ['delayOn', 'delayOff'] as const) if (clause[field] !== undefined) issue(field, `only live clauses have ${field}`);
      if (clause.reads.length > 0) issue('reads', `a ${clause.check} clause reads no live points`);
      if (Object.keys(clause.deadband).length > 0) issue('deadband', 'only live clauses have a deadband');
      if (Object.keys(clause.compute).length > 0) issue('compute', 'only live clauses compute from readings; use derive');
    }
    if (clause.latch && (clause.check !== 'live' || !clause.alert)) issue('latch', 'only a live clause with an alert latches (acknowledging its alarm resets it)');
    if (clause.check === 'evidence' && !clause.evidence) issue('evidence', 'an evidence clause names the record kind and how long it is valid');
    if (clause.check !== 'evidence' && clause.evidence) issue('evidence', 'only evidence clauses name a record kind');
    if (clause.check !== 'evidence' && clause.expression === undefined) issue('expression', 'must be a CEL expression');
  });

const bandSchema = z.strictObject({
  min: z.number().min(0).max(100),
  grade: z.string().min(1),
  risk: z.enum(['red', 'orange', 'yellow', 'blue']),
});

/** Alarm management (ISA-18.2 / EEMUA 191): escalation, shelving limits, alarm-system health figures. */
const alarmsSchema = z.strictObject({
  source: z.string().min(1, 'cite where the numbers come from'),
  /** an unacknowledged alarm of this severity escalates after this long, and again each time it elapses */
  escalateAfter: z.strictObject({ '1': duration, '2': duration, '3': duration, '4': duration }),
  /** the longest an operator may shelve an alarm */
  maxShelve: duration,
  /** alarms that may never be shelved nor suppressed: these severities, and (when true) every secondary-disaster incident */
  neverShelve: z.strictObject({ severities: z.array(severity).default([]), incidents: z.boolean().default(false) }).default({ severities: [], incidents: false }),
  /** how long an incident's condition must stay clear before it awaits closing */
  incidentDelayOff: duration.optional(),
  health: z
    .strictObject({
      /** the rolling window alarms are counted over, and a flood: at least floodAlarms in it */
      window: duration,
      floodAlarms: z.number().int().positive(),
      /** a flood ends when the window holds fewer than this */
      floodEndBelow: z.number().int().positive(),
      /** chattering: the same alarm at least chatterCount times within chatterWindow */
      chatterWindow: duration,
      chatterCount: z.number().int().positive(),
      /** standing: active longer than this */
      standingAfter: duration,
      topContributors: z.number().int().positive(),
      /** the period averages, flood share, chattering and top contributors are taken over */
      period: duration,
    })
    .refine((h) => h.floodEndBelow <= h.floodAlarms, 'floodEndBelow must not exceed floodAlarms'),
});

const riskColour = z.enum(['red', 'orange', 'yellow', 'blue']);

/** How a site's live risk is made from its compliance colour, open incidents and comms loss (DESIGN.md). */
const liveRiskSchema = z.strictObject({
  source: z.string().min(1, 'cite where the colours come from'),
  /** an open incident of this severity makes the site at least this colour */
  incidentSeverity: z.strictObject({ '1': riskColour, '2': riskColour, '3': riskColour, '4': riskColour }),
  /** communications lost with a source serving a safety-critical point */
  commsLoss: riskColour,
  /** clauses of these severities (and hazard models) make their points safety-critical; failing, they hold the risk while their data is lost */
  criticalSeverities: z.array(severity).min(1),
});

const hazardSchema = z.strictObject({
  severity,
  title: bilingual,
  /** templates filled by the hazard model: {name} is the subject's name, other {placeholders} its figures */
  message: bilingual,
  actions: z.array(bilingual).min(1, 'a hazard tells the responders what to do'),
  /** further actions by the hazard's level (a lightning warning's 1–3), each level's added to the lower levels' */
  levelActions: z.record(z.string().regex(/^[1-9]$/, 'a level is 1–9'), z.array(bilingual).min(1)).optional(),
  params: z.record(identifier, paramSchema).default({}),
  /** asset kinds this hazard treats as ignition sources or protection, where it needs a list */
  kinds: z.array(assetKind).default([]),
});

export const HAZARDS = [
  'overfill',
  'gas-cloud',
  'vce',
  'tank-fire',
  'dike-fire',
  'domino',
  'boilover',
  'spill-to-sea',
  'protection-lost',
  'suspected-attack',
  'comms-loss',
  'lightning',
  'stuck-gauge',
  'shutoff-valve',
  'flood',
] as const;

export const standardSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as 1.0.0'),
  effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
  title: bilingual,
  sources: z.array(z.strictObject({ id: z.string().min(1), title: bilingual, url: z.url().optional() })).min(1),
  grading: z.strictObject({
    bands: z
      .array(bandSchema)
      .min(1)
      .refine((bands) => bands.every((b, i) => i === 0 || b.min < bands[i - 1]!.min), 'bands must be listed by falling min')
      .refine((bands) => bands.at(-1)?.min === 0, 'the last band must start at min 0'),
    forceRedSeverities: z.array(severity).default([]),
  }),
  /** live point vocabulary per asset kind: name → unit */
  points: z.partialRecord(assetKind, z.record(z.string(), z.strictObject({ unit: z.enum(UNITS) }))),
  clauses: z.array(clauseSchema).min(1),
  liveRisk: liveRiskSchema,
  alarms: alarmsSchema.optional(),
  /** secondary-disaster (次生灾害) models' parameters and response data, by hazard */
  hazards: z.partialRecord(z.enum(HAZARDS), hazardSchema).default({}),
});

export type StandardDefinition = z.infer<typeof standardSchema>;
export type ClauseDefinition = z.infer<typeof clauseSchema>;
export type ParamDefinition = z.infer<typeof paramSchema>;
export type AlertDefinition = z.infer<typeof alertSchema>;
export type AlarmsDefinition = z.infer<typeof alarmsSchema>;
export type HazardDefinition = z.infer<typeof hazardSchema>;
export type LiveRiskDefinition = z.infer<typeof liveRiskSchema>;
