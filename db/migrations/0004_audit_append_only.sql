-- The audit log is append-only: UPDATE, DELETE and TRUNCATE are refused. A superuser can still
-- disable the trigger; the hash chain (db/audit.ts, verifyAudit) shows what was changed then.
CREATE OR REPLACE FUNCTION "ketwin_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "ketwin_audit_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "ketwin_audit_append_only"();
