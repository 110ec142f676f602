ALTER TABLE "import_stage_contacts" DROP CONSTRAINT "import_stage_contacts_job_id_import_jobs_id_fk";
--> statement-breakpoint
ALTER TABLE "import_stage_keys" DROP CONSTRAINT "import_stage_keys_job_id_import_jobs_id_fk";
--> statement-breakpoint
ALTER TABLE "import_stage_organizations" DROP CONSTRAINT "import_stage_organizations_job_id_import_jobs_id_fk";
--> statement-breakpoint
-- Not in the Drizzle schema, which cannot say it (docs/adr/0601): a crash empties these tables,
-- and a validation starts from the top anyway.
ALTER TABLE "import_stage_contacts" SET UNLOGGED;--> statement-breakpoint
ALTER TABLE "import_stage_keys" SET UNLOGGED;--> statement-breakpoint
ALTER TABLE "import_stage_organizations" SET UNLOGGED;
