ALTER TABLE "clause_results" ADD COLUMN "reason" jsonb;--> statement-breakpoint
ALTER TABLE "site_scores" ADD COLUMN "risk_reason" jsonb;--> statement-breakpoint
ALTER TABLE "site_scores" ADD COLUMN "compliance_risk" text;