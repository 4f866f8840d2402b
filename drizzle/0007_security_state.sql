CREATE TABLE "refresh_families" (
	"family" text PRIMARY KEY NOT NULL,
	"current_jti" text NOT NULL,
	"rotated_at" bigint NOT NULL,
	"until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revocations" (
	"id" text PRIMARY KEY NOT NULL,
	"until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_method_undos" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"previous" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "sign_in_method_undos_kind_valid" CHECK ("sign_in_method_undos"."kind" in ('email', 'mobile'))
);
--> statement-breakpoint
ALTER TABLE "sign_in_method_undos" ADD CONSTRAINT "sign_in_method_undos_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refresh_families_until_idx" ON "refresh_families" USING btree ("until");--> statement-breakpoint
CREATE INDEX "revocations_until_idx" ON "revocations" USING btree ("until");--> statement-breakpoint
CREATE INDEX "sign_in_method_undos_user_idx" ON "sign_in_method_undos" USING btree ("user_id");