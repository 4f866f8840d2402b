CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_staff_id" uuid,
	"actor_email" text,
	"actor_member_id" uuid,
	"action" text NOT NULL,
	"member_id" uuid,
	"target_staff_id" uuid,
	"address" text,
	"reason" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "audit_events_actor_kind_valid" CHECK ("audit_events"."actor_kind" in ('staff', 'api-key', 'member', 'system')),
	CONSTRAINT "audit_events_actor_shape" CHECK (case "audit_events"."actor_kind"
    when 'staff' then "audit_events"."actor_staff_id" is not null and "audit_events"."actor_email" is not null and "audit_events"."actor_member_id" is null
    when 'member' then "audit_events"."actor_member_id" is not null and "audit_events"."actor_staff_id" is null and "audit_events"."actor_email" is null
    else "audit_events"."actor_staff_id" is null and "audit_events"."actor_email" is null and "audit_events"."actor_member_id" is null end)
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"totp_secret" text NOT NULL,
	"totp_enrolled" boolean DEFAULT false NOT NULL,
	"last_totp_step" bigint,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "staff_email_normalised" CHECK ("staff"."email" = lower(btrim("staff"."email"))),
	CONSTRAINT "staff_role_valid" CHECK ("staff"."role" in ('reviewer', 'admin'))
);
--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_member_idx" ON "audit_events" USING btree ("member_id","at","id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_staff_idx" ON "audit_events" USING btree ("actor_staff_id","at","id");--> statement-breakpoint
CREATE INDEX "audit_events_target_staff_idx" ON "audit_events" USING btree ("target_staff_id","at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_email_key" ON "staff" USING btree ("email");--> statement-breakpoint
-- Append-only at the database too (hand-written, not generated): an UPDATE or a TRUNCATE of the
-- audit trail fails whoever runs it. DELETE stays, for the retention sweep alone.
CREATE FUNCTION "audit_events_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_no_update" BEFORE UPDATE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION "audit_events_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();
