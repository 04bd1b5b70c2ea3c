CREATE TABLE "dead_letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"lane" text NOT NULL,
	"payload" text NOT NULL,
	"error" text NOT NULL,
	"code" text,
	"attempts" integer NOT NULL,
	"failed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"attempts" integer NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"lockouts" integer DEFAULT 0 NOT NULL,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "evidence_records_key";--> statement-breakpoint
ALTER TABLE "evidence_records" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence_records" ADD COLUMN "recorded_by" text;--> statement-breakpoint
ALTER TABLE "evidence_records" ADD COLUMN "recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "evidence_records" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE INDEX "dead_letters_lane_idx" ON "dead_letters" USING btree ("lane","id");--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_records_version_key" ON "evidence_records" USING btree ("site","kind","subject","done_at","version");--> statement-breakpoint
-- Evidence is append-only: a new upload under the same key is a new version (hand-added).
CREATE OR REPLACE FUNCTION "ketwin_evidence_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence_records is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "evidence_records_no_update_delete" BEFORE UPDATE OR DELETE ON "evidence_records"
  FOR EACH ROW EXECUTE FUNCTION "ketwin_evidence_append_only"();
