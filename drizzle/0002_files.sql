CREATE TABLE "file_deletions" (
	"key" text PRIMARY KEY NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "file_deletions_not_before_idx" ON "file_deletions" USING btree ("not_before");--> statement-breakpoint
CREATE UNIQUE INDEX "users_avatar_key_key" ON "users" USING btree ("avatar_key");--> statement-breakpoint
CREATE UNIQUE INDEX "users_profile_key_key" ON "users" USING btree ("profile_key");--> statement-breakpoint
CREATE UNIQUE INDEX "verification_files_key_key" ON "verification_files" USING btree ("key");