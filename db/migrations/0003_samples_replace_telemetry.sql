-- Readings move from telemetry (site, point text key) to series + samples (int key).
INSERT INTO "series" ("site", "point") SELECT DISTINCT "site", "point" FROM "telemetry" ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "samples" ("series_id", "ts", "value_num", "value_bool", "value_text", "quality", "reason")
  SELECT s."id", t."ts", t."value_num", t."value_bool", t."value_text", t."quality", t."reason"
  FROM "telemetry" t JOIN "series" s ON s."site" = t."site" AND s."point" = t."point"
  ON CONFLICT DO NOTHING;--> statement-breakpoint
DROP TABLE "telemetry" CASCADE;--> statement-breakpoint
DROP INDEX "alert_transitions_change_key";--> statement-breakpoint
DROP INDEX "clause_results_change_key";--> statement-breakpoint
-- drizzle-kit cannot name the primary keys it drops: they are PostgreSQL's defaults (created by 0000).
ALTER TABLE "alert_transitions" DROP CONSTRAINT "alert_transitions_pkey";--> statement-breakpoint
ALTER TABLE "clause_results" DROP CONSTRAINT "clause_results_pkey";--> statement-breakpoint
ALTER TABLE "alert_transitions" ADD CONSTRAINT "alert_transitions_change_key" PRIMARY KEY("alert_id","state","at");--> statement-breakpoint
ALTER TABLE "clause_results" ADD CONSTRAINT "clause_results_change_key" PRIMARY KEY("site","clause","subject","since","verdict");
