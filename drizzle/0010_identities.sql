CREATE TABLE "identity_verification_uses" (
	"verification_id" text PRIMARY KEY NOT NULL,
	"used_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_identities" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"verification_id" text NOT NULL,
	"ci" text,
	"di" text,
	"name" text NOT NULL,
	"birth" text,
	"gender" text,
	"phone" text,
	"mobile" text,
	"carrier" text,
	"foreigner" boolean,
	"verified_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "member_identities" ADD CONSTRAINT "member_identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "member_identities_verification_id_key" ON "member_identities" USING btree ("verification_id");--> statement-breakpoint
CREATE INDEX "member_identities_ci_idx" ON "member_identities" USING btree ("ci");