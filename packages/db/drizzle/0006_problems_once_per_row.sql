ALTER TABLE "import_jobs" ADD COLUMN "problem_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Until now import_problems held every problem of a job, its rows' too: count them, then keep
-- there only those that belong to no row record (the row records hold the rest).
UPDATE "import_jobs" SET "problem_count" = (SELECT count(*) FROM "import_problems" WHERE "import_problems"."job_id" = "import_jobs"."id");--> statement-breakpoint
DELETE FROM "import_problems" WHERE EXISTS (SELECT 1 FROM "import_rows" WHERE "import_rows"."job_id" = "import_problems"."job_id" AND "import_rows"."line" = "import_problems"."line");--> statement-breakpoint
CREATE INDEX "import_rows_problems_idx" ON "import_rows" USING btree ("job_id","line") WHERE "import_rows"."problems" <> '[]'::jsonb;
