ALTER TABLE "users" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "users_unique_key_idx" ON "users" USING btree ("unique_key");--> statement-breakpoint
-- Hand-written, not generated: members decided before this column existed get the migration's
-- instant, so a retention period counts from no earlier than now and never purges early.
UPDATE "users" SET "decided_at" = now() WHERE "status" <> 'pending';
