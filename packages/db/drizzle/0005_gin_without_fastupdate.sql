DROP INDEX "contacts_email_keys_idx";--> statement-breakpoint
DROP INDEX "contacts_phone_keys_idx";--> statement-breakpoint
CREATE INDEX "contacts_email_keys_idx" ON "contacts" USING gin ("email_keys") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "contacts_phone_keys_idx" ON "contacts" USING gin ("phone_keys") WITH (fastupdate=false);