ALTER TABLE "contact_external_ids" DROP CONSTRAINT "contact_external_ids_source_external_sources_name_fk";
--> statement-breakpoint
ALTER TABLE "contact_external_ids" DROP CONSTRAINT "contact_external_ids_division_divisions_name_fk";
--> statement-breakpoint
ALTER TABLE "contacts" DROP CONSTRAINT "contacts_division_divisions_name_fk";
--> statement-breakpoint
ALTER TABLE "organization_external_ids" DROP CONSTRAINT "organization_external_ids_source_external_sources_name_fk";
--> statement-breakpoint
ALTER TABLE "organization_external_ids" DROP CONSTRAINT "organization_external_ids_division_divisions_name_fk";
--> statement-breakpoint
ALTER TABLE "organizations" DROP CONSTRAINT "organizations_division_divisions_name_fk";
