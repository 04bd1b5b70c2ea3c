ALTER TABLE "evidence_records" ADD COLUMN "passed" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence_records" ADD COLUMN "values" jsonb DEFAULT '{}'::jsonb NOT NULL;