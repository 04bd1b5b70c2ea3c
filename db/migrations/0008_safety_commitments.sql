CREATE TABLE "safety_commitments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"day" text NOT NULL,
	"signed_by" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"all_normal" boolean NOT NULL,
	"statement" text NOT NULL,
	"facts" jsonb NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "safety_commitments_site_day_key" ON "safety_commitments" USING btree ("site","day");