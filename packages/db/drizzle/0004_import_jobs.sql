CREATE TABLE "import_rows" (
	"job_id" text NOT NULL,
	"line" integer NOT NULL,
	"outcome" text NOT NULL,
	"contact_id" text,
	"organization_id" text,
	"external_id" text,
	"organization_key" text,
	"organization_effect" text,
	"problems" jsonb NOT NULL,
	CONSTRAINT "import_rows_job_id_line_pk" PRIMARY KEY("job_id","line")
);
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "file" jsonb;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "auto_continue" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "progress" jsonb DEFAULT '{"rowsProcessed":0,"bytesRead":0}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_rows_external_id_idx" ON "import_rows" USING btree ("job_id","external_id");--> statement-breakpoint
CREATE INDEX "import_rows_organization_key_idx" ON "import_rows" USING btree ("job_id","organization_key");