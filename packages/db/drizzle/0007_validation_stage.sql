CREATE TABLE "import_stage_contacts" (
	"job_id" text NOT NULL,
	"id" text NOT NULL,
	"record" jsonb,
	"absorbed" boolean DEFAULT false NOT NULL,
	CONSTRAINT "import_stage_contacts_job_id_id_pk" PRIMARY KEY("job_id","id")
);
--> statement-breakpoint
CREATE TABLE "import_stage_keys" (
	"job_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"owner" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_stage_organizations" (
	"job_id" text NOT NULL,
	"id" text NOT NULL,
	"record" jsonb NOT NULL,
	CONSTRAINT "import_stage_organizations_job_id_id_pk" PRIMARY KEY("job_id","id")
);
--> statement-breakpoint
ALTER TABLE "import_stage_contacts" ADD CONSTRAINT "import_stage_contacts_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_stage_keys" ADD CONSTRAINT "import_stage_keys_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_stage_organizations" ADD CONSTRAINT "import_stage_organizations_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_stage_keys_key_idx" ON "import_stage_keys" USING btree ("job_id","kind","key");--> statement-breakpoint
CREATE INDEX "import_stage_keys_owner_idx" ON "import_stage_keys" USING btree ("job_id","owner");