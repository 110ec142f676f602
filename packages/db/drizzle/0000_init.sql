CREATE TABLE "contact_external_ids" (
	"source" text NOT NULL,
	"division" text NOT NULL,
	"external_id" text NOT NULL,
	"contact_id" text NOT NULL,
	CONSTRAINT "contact_external_ids_source_division_external_id_pk" PRIMARY KEY("source","division","external_id")
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" text PRIMARY KEY NOT NULL,
	"division" text NOT NULL,
	"first_name" text,
	"middle_name" text,
	"last_name" text,
	"salutation" text,
	"title" text,
	"work_email" text,
	"personal_email" text,
	"other_email" text,
	"work_phone" jsonb,
	"cell_phone" jsonb,
	"home_phone" jsonb,
	"other_phone" jsonb,
	"address_line1" text,
	"address_line2" text,
	"city" text,
	"state" text,
	"postal_code" text,
	"country" text,
	"survey_opt_out" boolean,
	"external_system_url" text,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"email_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"phone_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"organization_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "divisions" (
	"name" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "external_sources" (
	"name" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"file_name" text,
	"settings" jsonb NOT NULL,
	"counters" jsonb NOT NULL,
	"checkpoint_line" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_problems" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" text NOT NULL,
	"line" integer NOT NULL,
	"column" text,
	"code" text NOT NULL,
	"severity" text NOT NULL,
	"message" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organization_external_ids" (
	"source" text NOT NULL,
	"division" text NOT NULL,
	"external_id" text NOT NULL,
	"organization_id" text NOT NULL,
	CONSTRAINT "organization_external_ids_source_division_external_id_pk" PRIMARY KEY("source","division","external_id")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"division" text NOT NULL,
	"name" text,
	"company_type" text,
	"industry" text,
	"phone_number" jsonb,
	"fax_number" jsonb,
	"employee_count" integer,
	"revenue" numeric,
	"tags" text[],
	"websites" text[],
	"address_line1" text,
	"address_line2" text,
	"city" text,
	"state" text,
	"postal_code" text,
	"country" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_external_ids" ADD CONSTRAINT "contact_external_ids_source_external_sources_name_fk" FOREIGN KEY ("source") REFERENCES "public"."external_sources"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_external_ids" ADD CONSTRAINT "contact_external_ids_division_divisions_name_fk" FOREIGN KEY ("division") REFERENCES "public"."divisions"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_external_ids" ADD CONSTRAINT "contact_external_ids_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_division_divisions_name_fk" FOREIGN KEY ("division") REFERENCES "public"."divisions"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_problems" ADD CONSTRAINT "import_problems_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_external_ids" ADD CONSTRAINT "organization_external_ids_source_external_sources_name_fk" FOREIGN KEY ("source") REFERENCES "public"."external_sources"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_external_ids" ADD CONSTRAINT "organization_external_ids_division_divisions_name_fk" FOREIGN KEY ("division") REFERENCES "public"."divisions"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_external_ids" ADD CONSTRAINT "organization_external_ids_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_division_divisions_name_fk" FOREIGN KEY ("division") REFERENCES "public"."divisions"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_external_ids_contact_idx" ON "contact_external_ids" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "contacts_division_idx" ON "contacts" USING btree ("division");--> statement-breakpoint
CREATE INDEX "contacts_email_keys_idx" ON "contacts" USING gin ("email_keys");--> statement-breakpoint
CREATE INDEX "contacts_phone_keys_idx" ON "contacts" USING gin ("phone_keys");--> statement-breakpoint
CREATE INDEX "contacts_organization_idx" ON "contacts" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "import_problems_job_idx" ON "import_problems" USING btree ("job_id","line");--> statement-breakpoint
CREATE INDEX "organization_external_ids_organization_idx" ON "organization_external_ids" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "organizations_division_idx" ON "organizations" USING btree ("division");