DROP INDEX "import_rows_external_id_idx";--> statement-breakpoint
CREATE INDEX "import_rows_external_id_idx" ON "import_rows" USING btree ("job_id","external_id","line");