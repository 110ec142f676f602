import type { ContactField } from "../Contact.ts"
import type { OrganizationField } from "../Organization.ts"

/** Where the values of one CSV column go. */
export type ColumnTarget =
  | { readonly entity: "contact"; readonly field: ContactField | "externalId" | "phoneCountry" }
  | { readonly entity: "organization"; readonly field: OrganizationField | "externalId" }
  | { readonly entity: "custom"; readonly field: string }

interface ColumnDefinition {
  readonly header: string
  readonly aliases: ReadonlyArray<string>
  readonly target: ColumnTarget
  /** Longest accepted value in characters, when the column has a limit of its own. */
  readonly maxLength: number | null
}

const contact = (
  header: string,
  field: ContactField | "externalId" | "phoneCountry",
  maxLength: number | null,
  aliases: ReadonlyArray<string> = []
): ColumnDefinition => ({ header, aliases, target: { entity: "contact", field }, maxLength })

const organization = (
  header: string,
  field: OrganizationField | "externalId",
  maxLength: number | null,
  aliases: ReadonlyArray<string> = []
): ColumnDefinition => ({ header, aliases, target: { entity: "organization", field }, maxLength })

/** Every column of spec §3: canonical header, accepted aliases, target and length limit. */
export const columns: ReadonlyArray<ColumnDefinition> = [
  contact("External ID", "externalId", 255, ["Contact ID"]),
  contact("First Name", "firstName", 1000),
  contact("Middle Name", "middleName", 1000),
  contact("Last Name", "lastName", 1000),
  contact("Salutation", "salutation", 1000),
  contact("Title", "title", 1000, ["Job Title"]),
  contact("Work Phone", "workPhone", 1000, ["Phone", "Phone Number", "Telephone"]),
  contact("Cell Phone", "cellPhone", 1000, ["Mobile", "Mobile Phone"]),
  contact("Home Phone", "homePhone", 1000),
  contact("Other Phone", "otherPhone", 1000),
  contact("Phone Country", "phoneCountry", 1000, ["Country Code"]),
  contact("Work Email", "workEmail", 256, ["Email", "E-mail", "Email Address"]),
  contact("Personal Email", "personalEmail", 256),
  contact("Other Email", "otherEmail", 256),
  contact("Address Line 1", "addressLine1", 200),
  contact("Address Line 2", "addressLine2", 200),
  contact("City", "city", 100),
  contact("State", "state", 50),
  contact("Postal Code", "postalCode", 25),
  contact("Country", "country", 25),
  contact("Survey Opt Out", "surveyOptOut", null),
  contact("External System URL", "externalSystemUrl", 1000),
  organization("External Organization External ID", "externalId", 255, [
    "Organization External ID",
    "Account ID"
  ]),
  organization("Organization Name", "name", 1000, [
    "Organization",
    "Organisation",
    "Account Name",
    "Company",
    "Company Name"
  ]),
  organization("Company Type", "companyType", 1000),
  organization("Industry", "industry", 1000),
  organization("Organization Phone", "phoneNumber", 1000),
  organization("Organization Fax", "faxNumber", 1000),
  organization("Employee Count", "employeeCount", null),
  organization("Revenue", "revenue", null),
  organization("Tags", "tags", null),
  organization("Websites", "websites", null),
  organization("Organization Address Line 1", "addressLine1", 200),
  organization("Organization Address Line 2", "addressLine2", 200),
  organization("Organization City", "city", 100),
  organization("Organization State", "state", 50),
  organization("Organization Postal Code", "postalCode", 25),
  organization("Organization Country", "country", 25)
]

/**
 * The form header names are compared in: case-insensitive, ignoring spaces (also non-breaking
 * ones), underscores, hyphens and dots, so `External ID`, `external_id` and `ExternalId` agree.
 */
export const normalizeHeader = (header: string): string =>
  header
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\s\u00a0_.-]/gu, "")

const byNormalizedName: ReadonlyMap<string, ColumnDefinition> = new Map(
  columns.flatMap((column) =>
    [column.header, ...column.aliases].map((name) => [normalizeHeader(name), column] as const)
  )
)

/** The column a header names, by canonical header or alias, if any. */
export const findColumn = (header: string): ColumnDefinition | undefined =>
  byNormalizedName.get(normalizeHeader(header))

export type { ColumnDefinition }
