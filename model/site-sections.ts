import { z } from 'zod';

// Site-level sections the protection guideline reads: design basis of the depot, its
// surroundings, instruments, release sources, cameras and the dated records (drills,
// tests, inspections) that evidence clauses check. All optional: a site without them
// still loads, and the clauses that need them are unknown or failing, never passing.

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, "-" and "_"');
const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const nonNegative = z.number().min(0);
const positive = z.number().positive();

/** Design basis of the depot as a whole. */
const depot = z.strictObject({
  /** declared depot grade per GB 50074 §3.0.1: 0 特级, 1 一级 … 5 五级 */
  grade: z.number().int().min(0).max(5),
  /** a national or enterprise crude reserve depot (GB 50737 §1.0.2) */
  nationalReserve: z.boolean().default(false),
  /** on the coast (GB 50737 §5.4.1) rather than by a river */
  coastal: z.boolean().default(false),
  /** flood protection return period, years, and site elevation above the design flood level, m */
  floodReturnPeriod: positive,
  elevationAboveFlood: z.number(),
  /** seismic fortification intensity and site ground class (I..IV as 1..4) */
  seismicIntensity: z.number().int().min(5).max(10),
  groundClass: z.number().int().min(1).max(4),
  perimeterWall: z.strictObject({ height: positive, nonCombustible: z.boolean(), solidBaseHeight: nonNegative }),
  /** travel time of the fire trucks to the farthest tank, min, and the trucks kept */
  fireTruckMinutes: positive,
  foamTrucks: nonNegative.default(0),
  aerialTrucks: nonNegative.default(0),
  /** standards the site declares applicable beside the guideline, e.g. GB50016-2014 */
  applicableStandards: z.array(z.string().min(1)).default([]),
  /** gas detection runs separately from the fire alarm system (GB/T 50493-2019) */
  gasDetectionSeparate: z.boolean(),
  /** an emergency shutdown system is installed (Order No. 40 Art. 13) */
  emergencyShutdown: z.boolean(),
  /** persons normally on site */
  personsOnSite: nonNegative,
});

/** People around the depot (GB 18218-2018 α). */
const surroundings = z.strictObject({
  /** persons living or working within 500 m of the depot boundary */
  populationWithin500m: nonNegative,
});

/** A process unit the site declares beside its tank farms (GB 18218-2018 §3.4), with its inventory in t by product. */
const processUnit = z.strictObject({
  id,
  name: bilingual.optional(),
  inventory: z.record(z.string(), nonNegative),
});

/**
 * A person named in the site file: the user name they sign in with (the same characters a user
 * name may hold; that the user exists is checked where the users are known — `ketwin check`, start).
 */
const person = z
  .string()
  .min(1, 'must name a user')
  .max(64, 'must be at most 64 characters')
  .regex(/^[\p{L}\p{N}._@-]+$/u, 'must be a user name (letters, digits and . _ @ -)');

/**
 * The named responsible persons of one major hazard unit (危险化学品企业重大危险源安全包保责任制办法(试行),
 * 2021): its principal, technical and operations responsible person, each a user. `unit` is a tank
 * farm's dike id (GB 18218's storage unit) or a declared process unit's id.
 */
const responsibility = z.strictObject({
  unit: id,
  principal: person,
  technical: person,
  operations: person,
});

export const RESPONSIBLE_ROLES = ['principal', 'technical', 'operations'] as const;

/** The registration of the depot as a major hazard installation. */
const majorHazard = z.strictObject({
  registered: z.boolean(),
  /** registered grade 1 (一级, most severe) .. 4; 0 when not registered */
  grade: z.number().int().min(0).max(4),
  /** units other than the tank farms (each tank farm, bounded by its dike, is a unit of its own) */
  processUnits: z.array(processUnit).default([]),
  /** the named responsible persons of each major hazard unit */
  responsible: z.array(responsibility).default([]),
});

const monitoring = z.strictObject({
  /** days live data are kept */
  retentionDays: nonNegative,
  remoteTransmission: z.boolean(),
});

const civilDefence = z.strictObject({
  /** persons in the emergency repair team (抢险抢修队) */
  repairTeamSize: nonNegative,
  /** hours the air-defence comms and sirens run on backup power */
  backupPowerHours: nonNegative,
  /** hours of backup power the site sets itself as the minimum */
  backupPowerHoursRequired: nonNegative,
});

export const RELEASE_SOURCE_TYPES = ['pump-seal', 'sample-point', 'drain', 'vent', 'flange', 'valve-group'] as const;

/** A place where combustible or toxic gas can escape (GB/T 50493 §4.1.3). */
const releaseSource = z.strictObject({
  id,
  name: bilingual.optional(),
  type: z.enum(RELEASE_SOURCE_TYPES),
  gas: z.enum(['combustible', 'toxic']),
  indoor: z.boolean().default(false),
  x: z.number(),
  y: z.number(),
  /** the asset it belongs to, if any */
  asset: id.optional(),
});

/** One instrument of the register: what it measures on which asset, its alarms and trips. */
const instrument = z.strictObject({
  id,
  asset: id,
  measures: z.enum(['level', 'temperature', 'pressure', 'gas', 'flow']),
  type: z.enum(['continuous', 'switch']),
  alarms: z.array(z.enum(['H', 'L', 'HH', 'LL'])).default([]),
  /** what its alarm trips: the inlet valve or the transfer pump */
  trips: z.enum(['none', 'inlet-valve', 'pump']).default('none'),
  /** independent of the tank's main gauge (GB 50074 §15.1.4) */
  independent: z.boolean().default(false),
  /** sensor elevation above the tank floor, m */
  elevation: nonNegative.optional(),
});

const camera = z.strictObject({
  id,
  x: z.number(),
  y: z.number(),
  /** radius it sees clearly, m */
  range: positive,
  explosionProof: z.boolean(),
  /** mounted high enough to see the tank roofs */
  seesRoofs: z.boolean(),
});

/** A dated record: drill, test, inspection, assessment. Evidence clauses check its age. */
const evidenceRecord = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case'),
  /** asset id the record is about; the site when left out */
  subject: id.optional(),
  date: z.iso.date('must be a date YYYY-MM-DD'),
  by: z.string().min(1),
  ref: z.string().min(1).optional(),
  /** the drill, test or inspection met its goals */
  passed: z.boolean().default(true),
  /** figures recorded, e.g. minutes to cooling water on the burning tank */
  values: z.record(z.string(), z.number()).default({}),
  notes: z.string().optional(),
});

export const siteSections = {
  depot: depot.optional(),
  surroundings: surroundings.optional(),
  majorHazard: majorHazard.optional(),
  monitoring: monitoring.optional(),
  civilDefence: civilDefence.optional(),
  releaseSources: z.array(releaseSource).default([]),
  instruments: z.array(instrument).default([]),
  cameras: z.array(camera).default([]),
  evidence: z.array(evidenceRecord).default([]),
};

export type EvidenceRecord = z.infer<typeof evidenceRecord>;
/** The evidence kind the twin itself records each day's online rate under (engine/online-rate.ts); data-quality clauses and the due list read it. */
export const ONLINE_RATE_KIND = 'data-quality-day';
export type Responsibility = z.infer<typeof responsibility>;
export type ResponsibleRole = (typeof RESPONSIBLE_ROLES)[number];
export type Instrument = z.infer<typeof instrument>;
export type ReleaseSource = z.infer<typeof releaseSource>;
