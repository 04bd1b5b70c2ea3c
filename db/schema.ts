/**
 * The storage schema: one drizzle definition serves embedded PGlite and PostgreSQL
 * (and, in issue 6, TimescaleDB). Migrations are generated from this file with
 * `npm run db:generate` into db/migrations/ and committed.
 */
import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Raw readings. One value column is set per row, by the type of the value. */
export const telemetry = pgTable(
  'telemetry',
  {
    site: text('site').notNull(),
    point: text('point').notNull(),
    ts: tstz('ts').notNull(),
    valueNum: doublePrecision('value_num'),
    valueBool: boolean('value_bool'),
    valueText: text('value_text'),
    quality: text('quality').notNull(),
    reason: text('reason'),
  },
  (t) => [primaryKey({ columns: [t.site, t.point, t.ts] })],
);

/** Verdict changes (the engine emits on change only), with their evidence. */
export const clauseResults = pgTable(
  'clause_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    site: text('site').notNull(),
    clause: text('clause').notNull(),
    subject: text('subject').notNull(),
    verdict: text('verdict').notNull(),
    since: tstz('since').notNull(),
    evidence: jsonb('evidence').notNull(),
    thresholds: jsonb('thresholds').notNull(),
    standard: text('standard').notNull(),
  },
  // A retried batch (its commit acknowledged but the reply lost) must not record a change twice.
  (t) => [
    index('clause_results_site_since_idx').on(t.site, t.since),
    uniqueIndex('clause_results_change_key').on(t.site, t.clause, t.subject, t.since, t.verdict),
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
    risk: text('risk').notNull(),
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
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alertId: text('alert_id').notNull(),
    state: text('state').notNull(),
    at: tstz('at').notNull(),
    data: jsonb('data').notNull(),
  },
  (t) => [
    index('alert_transitions_alert_idx').on(t.alertId, t.at),
    uniqueIndex('alert_transitions_change_key').on(t.alertId, t.state, t.at),
  ],
);
