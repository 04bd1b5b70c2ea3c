CREATE TABLE "audit_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text NOT NULL,
	"site" text,
	"details" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"done_at" timestamp with time zone NOT NULL,
	"by" text NOT NULL,
	"valid_until" timestamp with time zone,
	"reference" text,
	"notes" text
);
--> statement-breakpoint
CREATE TABLE "holds" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"from_ts" timestamp with time zone NOT NULL,
	"to_ts" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_until" timestamp with time zone,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "samples" (
	"series_id" integer NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value_num" double precision,
	"value_bool" boolean,
	"value_text" text,
	"quality" text NOT NULL,
	"reason" text,
	CONSTRAINT "samples_series_id_ts_pk" PRIMARY KEY("series_id","ts")
);
--> statement-breakpoint
CREATE TABLE "series" (
	"id" serial PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"point" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_records_key" ON "evidence_records" USING btree ("site","kind","subject","done_at");--> statement-breakpoint
CREATE INDEX "holds_site_idx" ON "holds" USING btree ("site");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_topic_key" ON "outbox" USING btree ("topic","key");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("delivered_at","id");--> statement-breakpoint
CREATE INDEX "samples_ts_brin" ON "samples" USING brin ("ts");--> statement-breakpoint
CREATE UNIQUE INDEX "series_site_point_key" ON "series" USING btree ("site","point");