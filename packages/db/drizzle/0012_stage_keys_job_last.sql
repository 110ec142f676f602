DROP INDEX "import_stage_keys_key_idx";--> statement-breakpoint
DROP INDEX "import_stage_keys_owner_idx";--> statement-breakpoint
CREATE INDEX "import_stage_keys_key_idx" ON "import_stage_keys" USING btree ("kind","key","job_id");--> statement-breakpoint
CREATE INDEX "import_stage_keys_owner_idx" ON "import_stage_keys" USING btree ("owner","job_id");