/**
 * The storage schema: one drizzle definition serves embedded PGlite, PostgreSQL and
 * TimescaleDB. Migrations are generated from this file with `npm run db:generate` into
 * db/migrations/ and committed. TimescaleDB's own DDL (hypertables, compression, continuous
 * aggregates, policies) is applied after the migrations when the extension is present
 * (db/timescale.ts); everything here is plain PostgreSQL.
 */
import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per (site, point): readings refer to it by a small integer, which keeps the
 * primary key of `samples` narrow (measured: binary COPY into a (int, timestamptz) key is
 * about twice as fast as into a (text, text, timestamptz) one on PGlite).
 */
export const series = pgTable(
  'series',
  {
    id: serial('id').primaryKey(),
    site: text('site').notNull(),
    point: text('point').notNull(),
    /**
     * days this series' raw readings are kept when a rule asks longer than the samples policy (a
     * lightning detector's feed: ≥ 3 years, MEM 2022); null: the policy's (db/retention.ts)
     */
    keepDays: integer('keep_days'),
  },
  (t) => [uniqueIndex('series_site_point_key').on(t.site, t.point)],
);

/** Raw readings. One value column is set per row, by the type of the value. */
export const samples = pgTable(
  'samples',
  {
    seriesId: integer('series_id').notNull(),
    ts: tstz('ts').notNull(),
    valueNum: doublePrecision('value_num'),
    valueBool: boolean('value_bool'),
    valueText: text('value_text'),
    quality: text('quality').notNull(),
    reason: text('reason'),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.ts] }), index('samples_ts_brin').using('brin', t.ts)],
);

/** Verdict changes (the engine emits on change only), with their evidence. */
export const clauseResults = pgTable(
  'clause_results',
  {
    /** insertion order, a tie-break among changes at one instant */
    id: bigserial('id', { mode: 'number' }).notNull(),
    site: text('site').notNull(),
    clause: text('clause').notNull(),
    subject: text('subject').notNull(),
    verdict: text('verdict').notNull(),
    since: tstz('since').notNull(),
    evidence: jsonb('evidence').notNull(),
    thresholds: jsonb('thresholds').notNull(),
    standard: text('standard').notNull(),
    /** why an unknown verdict is unknown ({zh, en}: "not monitored: … is not mapped", a bad reading) */
    reason: jsonb('reason'),
  },
  // A retried batch (its commit acknowledged but the reply lost) must not record a change twice.
  // The key holds the time column, as a TimescaleDB hypertable requires of every unique index.
  (t) => [
    index('clause_results_site_since_idx').on(t.site, t.since),
    primaryKey({ name: 'clause_results_change_key', columns: [t.site, t.clause, t.subject, t.since, t.verdict] }),
  ],
);

/** Site score changes. */
export const siteScores = pgTable(
  'site_scores',
  {
    site: text('site').notNull(),
    ts: tstz('ts').notNull(),
    score: doublePrecision('score').notNull(),
    grade: text('grade').notNull(),
    /** the live risk: worst of compliance, open incidents and comms loss on safety-critical points */
    risk: text('risk').notNull(),
    /** what drives the live risk ({zh, en}); null on rows written before live risk (0006) */
    riskReason: jsonb('risk_reason'),
    /** the colour from compliance alone; null on rows written before live risk, whose risk was it */
    complianceRisk: text('compliance_risk'),
    counts: jsonb('counts').notNull(),
    coverage: doublePrecision('coverage').notNull(),
    standard: text('standard').notNull(),
  },
  (t) => [primaryKey({ columns: [t.site, t.ts] })],
);

/** The current state of every alert. */
export const alerts = pgTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    site: text('site').notNull(),
    kind: text('kind').notNull(),
    severity: integer('severity').notNull(),
    state: text('state').notNull(),
    raisedAt: tstz('raised_at').notNull(),
    changedAt: tstz('changed_at').notNull(),
    subjects: jsonb('subjects').notNull(),
    message: jsonb('message').notNull(),
    actions: jsonb('actions').notNull(),
    clause: text('clause'),
    standard: text('standard'),
  },
  (t) => [index('alerts_site_state_idx').on(t.site, t.state)],
);

/** Every state an alert went through, appended in the transaction that records it. */
export const alertTransitions = pgTable(
  'alert_transitions',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    alertId: text('alert_id').notNull(),
    state: text('state').notNull(),
    at: tstz('at').notNull(),
    data: jsonb('data').notNull(),
  },
  (t) => [index('alert_transitions_alert_idx').on(t.alertId, t.at), primaryKey({ name: 'alert_transitions_change_key', columns: [t.alertId, t.state, t.at] })],
);

/**
 * Every human and system action, append-only and hash-chained: `hash` is sha256 over the
 * canonical serialisation of the row's content and `prev_hash` (db/audit.ts). A trigger
 * refuses UPDATE, DELETE and TRUNCATE (migration 0004).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: tstz('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    site: text('site'),
    details: jsonb('details').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);

/** Messages for notify/ to deliver at least once, written in the transaction of their cause. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    topic: text('topic').notNull(),
    key: text('key').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    claimedUntil: tstz('claimed_until'),
    deliveredAt: tstz('delivered_at'),
  },
  (t) => [uniqueIndex('outbox_topic_key').on(t.topic, t.key), index('outbox_pending_idx').on(t.deliveredAt, t.id)],
);

/**
 * Drills, siren tests, inspections, certificates: what the standard's evidence clauses read.
 * Append-only: a record written again under the same (site, kind, subject, done_at) is a new
 * version; every version stays, with who uploaded it and the sha256 of its content.
 */
export const evidenceRecords = pgTable(
  'evidence_records',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    site: text('site').notNull(),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    doneAt: tstz('done_at').notNull(),
    by: text('by').notNull(),
    validUntil: tstz('valid_until'),
    reference: text('reference'),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    recordedBy: text('recorded_by'),
    recordedAt: tstz('recorded_at'),
    hash: text('hash'),
    /** the drill or test met its goals (a measured valve stroke over its limit did not) */
    passed: boolean('passed').notNull().default(true),
    /** figures recorded, e.g. a valve's stroke seconds or a day's online rate */
    values: jsonb('values').$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [uniqueIndex('evidence_records_version_key').on(t.site, t.kind, t.subject, t.doneAt, t.version)],
);

/**
 * Rows a writer lane gave up on after repeated refusals by the database (a NUL in a text, a
 * value out of range): kept with the error so that the rows behind them go on. `payload` is
 * JSON as text, since what jsonb refused must still be storable.
 */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    lane: text('lane').notNull(),
    payload: text('payload').notNull(),
    error: text('error').notNull(),
    code: text('code'),
    attempts: integer('attempts').notNull(),
    failedAt: tstz('failed_at').notNull(),
  },
  (t) => [index('dead_letters_lane_idx').on(t.lane, t.id)],
);

/**
 * Sign-in attempts per key (`user:<name>` or `address:<ip>`), counted before the password is
 * checked, in one statement, so that concurrent guesses cannot all pass a stale count.
 */
export const signInLimits = pgTable('sign_in_limits', {
  key: text('key').primaryKey(),
  attempts: integer('attempts').notNull(),
  windowStart: tstz('window_start').notNull(),
  /** lockouts in a row: the next one lasts twice as long */
  lockouts: integer('lockouts').notNull().default(0),
  blockedUntil: tstz('blocked_until'),
});

/** Time ranges of a site that retention must keep (an open audit, an incident inquiry). */
export const holds = pgTable(
  'holds',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    site: text('site').notNull(),
    fromTs: tstz('from_ts').notNull(),
    toTs: tstz('to_ts').notNull(),
    reason: text('reason').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    releasedAt: tstz('released_at'),
  },
  (t) => [index('holds_site_idx').on(t.site)],
);

/**
 * The daily safety commitment (安全承诺) of a site: who signed it, when, for which local day, whether
 * it declares every major hazard normal, and the live facts it was signed against. One per site and day.
 */
export const safetyCommitments = pgTable(
  'safety_commitments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    site: text('site').notNull(),
    /** the site's local date, YYYY-MM-DD */
    day: text('day').notNull(),
    signedBy: text('signed_by').notNull(),
    signedAt: tstz('signed_at').notNull(),
    allNormal: boolean('all_normal').notNull(),
    /** what the signer declares in their words (measures taken, what stands) */
    statement: text('statement').notNull(),
    /** the live facts the form was filled from: open incidents, stale safety points, overdue duties, lightning */
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex('safety_commitments_site_day_key').on(t.site, t.day)],
);
