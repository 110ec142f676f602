import type { ContactField } from "../Contact.ts"
import { EXTERNAL_ID_MAX_LENGTH } from "../ExternalId.ts"
import { contactFieldMaxLength, organizationFieldMaxLength } from "../FieldRules.ts"
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

const contactColumnMaxLength = {
  ...contactFieldMaxLength,
  externalId: EXTERNAL_ID_MAX_LENGTH,
  phoneCountry: 1000
}

const organizationColumnMaxLength = {
  ...organizationFieldMaxLength,
  externalId: EXTERNAL_ID_MAX_LENGTH
}

const contact = (
  header: string,
  field: ContactField | "externalId" | "phoneCountry",
  aliases: ReadonlyArray<string> = []
): ColumnDefinition => ({
  header,
  aliases,
  target: { entity: "contact", field },
  maxLength: contactColumnMaxLength[field]
})

const organization = (
  header: string,
  field: OrganizationField | "externalId",
  aliases: ReadonlyArray<string> = []
): ColumnDefinition => ({
  header,
  aliases,
  target: { entity: "organization", field },
  maxLength: organizationColumnMaxLength[field]
})

/** Every column of spec §3: canonical header, accepted aliases, target and length limit. */
export const columns: ReadonlyArray<ColumnDefinition> = [
  contact("External ID", "externalId", ["Contact ID"]),
  contact("First Name", "firstName"),
  contact("Middle Name", "middleName"),
  contact("Last Name", "lastName"),
  contact("Salutation", "salutation"),
  contact("Title", "title", ["Job Title"]),
  contact("Work Phone", "workPhone", ["Phone", "Phone Number", "Telephone"]),
  contact("Cell Phone", "cellPhone", ["Mobile", "Mobile Phone"]),
  contact("Home Phone", "homePhone"),
  contact("Other Phone", "otherPhone"),
  contact("Phone Country", "phoneCountry", ["Country Code"]),
  contact("Work Email", "workEmail", ["Email", "E-mail", "Email Address"]),
  contact("Personal Email", "personalEmail"),
  contact("Other Email", "otherEmail"),
  contact("Address Line 1", "addressLine1"),
  contact("Address Line 2", "addressLine2"),
  contact("City", "city"),
  contact("State", "state"),
  contact("Postal Code", "postalCode"),
  contact("Country", "country"),
  contact("Survey Opt Out", "surveyOptOut"),
  contact("External System URL", "externalSystemUrl"),
  organization("External Organization External ID", "externalId", [
    "Organization External ID",
    "Account ID"
  ]),
  organization("Organization Name", "name", [
    "Organization",
    "Organisation",
    "Account Name",
    "Company",
    "Company Name"
  ]),
  organization("Company Type", "companyType"),
  organization("Industry", "industry"),
  organization("Organization Phone", "phoneNumber"),
  organization("Organization Fax", "faxNumber"),
  organization("Employee Count", "employeeCount"),
  organization("Revenue", "revenue"),
  organization("Tags", "tags"),
  organization("Websites", "websites"),
  organization("Organization Address Line 1", "addressLine1"),
  organization("Organization Address Line 2", "addressLine2"),
  organization("Organization City", "city"),
  organization("Organization State", "state"),
  organization("Organization Postal Code", "postalCode"),
  organization("Organization Country", "country")
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
