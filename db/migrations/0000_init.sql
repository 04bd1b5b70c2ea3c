CREATE TABLE "alert_transitions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" text NOT NULL,
	"state" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"kind" text NOT NULL,
	"severity" integer NOT NULL,
	"state" text NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"subjects" jsonb NOT NULL,
	"message" jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"clause" text,
	"standard" text
);
--> statement-breakpoint
CREATE TABLE "clause_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"clause" text NOT NULL,
	"subject" text NOT NULL,
	"verdict" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"evidence" jsonb NOT NULL,
	"thresholds" jsonb NOT NULL,
	"standard" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "site_scores" (
	"site" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"score" double precision NOT NULL,
	"grade" text NOT NULL,
	"risk" text NOT NULL,
	"counts" jsonb NOT NULL,
	"coverage" double precision NOT NULL,
	"standard" text NOT NULL,
	CONSTRAINT "site_scores_site_ts_pk" PRIMARY KEY("site","ts")
);
--> statement-breakpoint
CREATE TABLE "telemetry" (
	"site" text NOT NULL,
	"point" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value_num" double precision,
	"value_bool" boolean,
	"value_text" text,
	"quality" text NOT NULL,
	"reason" text,
	CONSTRAINT "telemetry_site_point_ts_pk" PRIMARY KEY("site","point","ts")
);
--> statement-breakpoint
CREATE INDEX "alert_transitions_alert_idx" ON "alert_transitions" USING btree ("alert_id","at");--> statement-breakpoint
CREATE INDEX "alerts_site_state_idx" ON "alerts" USING btree ("site","state");--> statement-breakpoint
CREATE INDEX "clause_results_site_since_idx" ON "clause_results" USING btree ("site","since");