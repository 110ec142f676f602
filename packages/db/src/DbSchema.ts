import type { ImportProgress, JobFile, Phone, Problem } from "@xcontacts/domain"
import { sql } from "drizzle-orm"
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp
} from "drizzle-orm/pg-core"

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "string" }).notNull()
const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull()

/**
 * Named systems the data comes from; a namespace for External IDs. This table and `divisions` are
 * registries that every write registers its names in, in the same statement or transaction; the
 * records name them without a foreign key (docs/adr/0601).
 */
export const externalSources = pgTable("external_sources", {
  name: text("name").primaryKey(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow()
})

/** Partitions of the store; matching and merging never cross them. */
export const divisions = pgTable("divisions", {
  name: text("name").primaryKey(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow()
})

const addressColumns = {
  addressLine1: text("address_line1"),
  addressLine2: text("address_line2"),
  city: text("city"),
  state: text("state"),
  postalCode: text("postal_code"),
  country: text("country")
}

export const organizations = pgTable(
  "organizations",
  {
    id: text("id").primaryKey(),
    division: text("division").notNull(),
    name: text("name"),
    companyType: text("company_type"),
    industry: text("industry"),
    phoneNumber: jsonb("phone_number").$type<Phone>(),
    faxNumber: jsonb("fax_number").$type<Phone>(),
    employeeCount: integer("employee_count"),
    revenue: numeric("revenue"),
    tags: text("tags").array(),
    websites: text("websites").array(),
    ...addressColumns,
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (table) => [index("organizations_division_idx").on(table.division)]
)

export const organizationExternalIds = pgTable(
  "organization_external_ids",
  {
    source: text("source").notNull(),
    division: text("division").notNull(),
    externalId: text("external_id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id)
  },
  (table) => [
    primaryKey({ columns: [table.source, table.division, table.externalId] }),
    index("organization_external_ids_organization_idx").on(table.organizationId)
  ]
)

export const contacts = pgTable(
  "contacts",
  {
    id: text("id").primaryKey(),
    division: text("division").notNull(),
    firstName: text("first_name"),
    middleName: text("middle_name"),
    lastName: text("last_name"),
    salutation: text("salutation"),
    title: text("title"),
    workEmail: text("work_email"),
    personalEmail: text("personal_email"),
    otherEmail: text("other_email"),
    workPhone: jsonb("work_phone").$type<Phone>(),
    cellPhone: jsonb("cell_phone").$type<Phone>(),
    homePhone: jsonb("home_phone").$type<Phone>(),
    otherPhone: jsonb("other_phone").$type<Phone>(),
    ...addressColumns,
    surveyOptOut: boolean("survey_opt_out"),
    externalSystemUrl: text("external_system_url"),
    custom: jsonb("custom").$type<Record<string, string>>().notNull().default({}),
    /** The contact's emails, lowercase: what email matching compares. */
    emailKeys: text("email_keys").array().notNull().default(sql`'{}'::text[]`),
    /** The contact's valid phones in E.164: what phone matching compares. */
    phoneKeys: text("phone_keys").array().notNull().default(sql`'{}'::text[]`),
    organizationId: text("organization_id").references(() => organizations.id),
    /** Set when `merge-all` folded this contact into another; it then never matches again. */
    mergedIntoId: text("merged_into_id").references((): AnyPgColumn => contacts.id),
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (table) => [
    index("contacts_division_idx").on(table.division),
    index("contacts_merged_into_idx").on(table.mergedIntoId),
    // Without fastupdate: an import inserts and searches these in every chunk, and a search
    // with a chunk's thousand keys scans the unsorted pending list once per key (seconds).
    index("contacts_email_keys_idx").using("gin", table.emailKeys).with({ fastupdate: false }),
    index("contacts_phone_keys_idx").using("gin", table.phoneKeys).with({ fastupdate: false }),
    index("contacts_organization_idx").on(table.organizationId)
  ]
)

export const contactExternalIds = pgTable(
  "contact_external_ids",
  {
    source: text("source").notNull(),
    division: text("division").notNull(),
    externalId: text("external_id").notNull(),
    contactId: text("contact_id")
      .notNull()
      .references(() => contacts.id)
  },
  (table) => [
    primaryKey({ columns: [table.source, table.division, table.externalId] }),
    index("contact_external_ids_contact_idx").on(table.contactId)
  ]
)

/** What was merged into what, when and by which import line: the durable record of `merge-all`. */
export const contactMerges = pgTable(
  "contact_merges",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    survivorId: text("survivor_id")
      .notNull()
      .references(() => contacts.id),
    absorbedId: text("absorbed_id")
      .notNull()
      .references(() => contacts.id),
    /** The External IDs the absorbed contact held, moved to the survivor. */
    movedExternalIds: jsonb("moved_external_ids")
      .$type<ReadonlyArray<{ source: string; externalId: string }>>()
      .notNull(),
    jobId: text("job_id"),
    line: integer("line"),
    mergedAt: timestamp("merged_at", { withTimezone: true, mode: "string" }).notNull().defaultNow()
  },
  (table) => [
    index("contact_merges_survivor_idx").on(table.survivorId),
    index("contact_merges_absorbed_idx").on(table.absorbedId)
  ]
)

export const importJobs = pgTable("import_jobs", {
  id: text("id").primaryKey(),
  state: text("state").notNull(),
  fileName: text("file_name"),
  settings: jsonb("settings").notNull(),
  counters: jsonb("counters").notNull(),
  /** Lines up to this one are committed; a resumed job starts after it. */
  checkpointLine: integer("checkpoint_line").notNull().default(0),
  /** Where the job's file is kept, its size and checksum; null when the job kept none. */
  file: jsonb("file").$type<JobFile>(),
  autoContinue: boolean("auto_continue").notNull().default(false),
  progress: jsonb("progress")
    .$type<ImportProgress>()
    .notNull()
    .default({ rowsProcessed: 0, bytesRead: 0 }),
  /** The job's problems: those of its file here in `import_problems` and its rows' problems. */
  problemCount: integer("problem_count").notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt()
})

/**
 * What happened to each row of a job, committed with the chunk that decided it: the report reads
 * it, and later chunks recall first lines of External IDs and organization effects from it.
 */
export const importRows = pgTable(
  "import_rows",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => importJobs.id, { onDelete: "cascade" }),
    line: integer("line").notNull(),
    outcome: text("outcome").notNull(),
    contactId: text("contact_id"),
    organizationId: text("organization_id"),
    externalId: text("external_id"),
    organizationKey: text("organization_key"),
    organizationEffect: text("organization_effect"),
    problems: jsonb("problems").$type<ReadonlyArray<Problem>>().notNull()
  },
  (table) => [
    primaryKey({ columns: [table.jobId, table.line] }),
    // With the line in the key, an External ID's first line is the first entry under its key.
    // Without it, a store that has never analyzed import_rows may plan `min(line)` as a walk of
    // the job's rows in line order until one has the ID: the whole job for every new ID, which
    // stalled a 3,000,000-row import past its 2,000,000th row.
    index("import_rows_external_id_idx").on(table.jobId, table.externalId, table.line),
    // With the effect in the key, recalling an organization's strongest effect reads one entry
    // per key and effect rather than every earlier row that named the organization.
    index("import_rows_organization_effect_idx").on(
      table.jobId,
      table.organizationKey,
      table.organizationEffect
    ),
    // The rows that have problems, by line: a job's preview and pages of problems read only
    // them, however many clean rows lie between.
    index("import_rows_problems_idx")
      .on(table.jobId, table.line)
      .where(sql`${table.problems} <> '[]'::jsonb`)
  ]
)

/**
 * Problems of a job's file itself (its header, a read that failed): a row's problems are kept
 * with its row record only.
 */
export const importProblems = pgTable(
  "import_problems",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    jobId: text("job_id")
      .notNull()
      .references(() => importJobs.id, { onDelete: "cascade" }),
    line: integer("line").notNull(),
    column: text("column"),
    code: text("code").notNull(),
    severity: text("severity").notNull(),
    message: text("message").notNull()
  },
  (table) => [index("import_problems_job_idx").on(table.jobId, table.line)]
)

export const importProfiles = pgTable("import_profiles", {
  name: text("name").primaryKey(),
  settings: jsonb("settings").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt()
})

/** API keys: the SHA-256 of the secret, never the secret; empty divisions reach every division. */
export const apiKeys = pgTable("api_keys", {
  id: text("id").primaryKey(),
  name: text("name"),
  secretHash: text("secret_hash").notNull().unique(),
  divisions: text("divisions").array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
  revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "string" })
})

/**
 * A validation's stage (docs/adr/0402): the records its chunks would have written, visible to the
 * job's later chunks only, dropped when the validation ends. Records are kept whole, as the
 * domain has them; an absorbed contact is kept as a mark without its record.
 *
 * The stage tables are UNLOGGED and hold no foreign key to their job (docs/adr/0601, migration
 * 0010): a crash empties them, which costs nothing because a validation starts from the top, and
 * deleting a job drops its stage itself.
 */
export const importStageContacts = pgTable(
  "import_stage_contacts",
  {
    jobId: text("job_id").notNull(),
    id: text("id").notNull(),
    record: jsonb("record"),
    absorbed: boolean("absorbed").notNull().default(false)
  },
  (table) => [primaryKey({ columns: [table.jobId, table.id] })]
)

export const importStageOrganizations = pgTable(
  "import_stage_organizations",
  {
    jobId: text("job_id").notNull(),
    id: text("id").notNull(),
    record: jsonb("record").notNull()
  },
  (table) => [primaryKey({ columns: [table.jobId, table.id] })]
)

/**
 * The staged records' keys: `ext` (a contact's External ID in the job's source), `org` (an
 * organization's key), `email` and `phone` (a staged contact's match keys, replaced with it).
 */
export const importStageKeys = pgTable(
  "import_stage_keys",
  {
    jobId: text("job_id").notNull(),
    kind: text("kind").notNull(),
    key: text("key").notNull(),
    owner: text("owner").notNull()
  },
  // The job comes last: the planner cannot estimate a job that was not staged when the stage
  // was last analyzed (every new job), and with the job first it took either index for "the
  // job's rows" and filtered them, once per probed key (docs/performance.md).
  (table) => [
    index("import_stage_keys_key_idx").on(table.kind, table.key, table.jobId),
    index("import_stage_keys_owner_idx").on(table.owner, table.jobId)
  ]
)
