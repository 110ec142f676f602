import {
  type Contact,
  type ContactId,
  contactE164s,
  contactEmailKeys,
  type Organization,
  type OrganizationId
} from "@xcontacts/domain"
import type { contacts, organizations } from "./DbSchema.ts"

type ContactRow = typeof contacts.$inferSelect
type OrganizationRow = typeof organizations.$inferSelect
type ExternalIdRow = { readonly source: string; readonly externalId: string }

/** Timestamps leave the store as ISO 8601 strings, whatever the driver's text form. */
export const iso = (value: string): string => new Date(value).toISOString()

export const toContact = (row: ContactRow, externalIds: ReadonlyArray<ExternalIdRow>): Contact => ({
  id: row.id as ContactId,
  division: row.division,
  externalIds: externalIds.map(({ source, externalId }) => ({ source, externalId })),
  firstName: row.firstName,
  middleName: row.middleName,
  lastName: row.lastName,
  salutation: row.salutation,
  title: row.title,
  workEmail: row.workEmail,
  personalEmail: row.personalEmail,
  otherEmail: row.otherEmail,
  workPhone: row.workPhone,
  cellPhone: row.cellPhone,
  homePhone: row.homePhone,
  otherPhone: row.otherPhone,
  addressLine1: row.addressLine1,
  addressLine2: row.addressLine2,
  city: row.city,
  state: row.state,
  postalCode: row.postalCode,
  country: row.country,
  surveyOptOut: row.surveyOptOut,
  externalSystemUrl: row.externalSystemUrl,
  custom: row.custom,
  organizationId: row.organizationId,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt)
})

/** A contact's row for an upsert; `merged_into_id` is only ever set by a merge. */
export const fromContact = (contact: Contact): typeof contacts.$inferInsert => ({
  id: contact.id,
  division: contact.division,
  firstName: contact.firstName,
  middleName: contact.middleName,
  lastName: contact.lastName,
  salutation: contact.salutation,
  title: contact.title,
  workEmail: contact.workEmail,
  personalEmail: contact.personalEmail,
  otherEmail: contact.otherEmail,
  workPhone: contact.workPhone,
  cellPhone: contact.cellPhone,
  homePhone: contact.homePhone,
  otherPhone: contact.otherPhone,
  addressLine1: contact.addressLine1,
  addressLine2: contact.addressLine2,
  city: contact.city,
  state: contact.state,
  postalCode: contact.postalCode,
  country: contact.country,
  surveyOptOut: contact.surveyOptOut,
  externalSystemUrl: contact.externalSystemUrl,
  custom: contact.custom,
  emailKeys: [...new Set(contactEmailKeys(contact))],
  phoneKeys: [...new Set(contactE164s(contact))],
  organizationId: contact.organizationId,
  createdAt: contact.createdAt,
  updatedAt: contact.updatedAt
})

export const toOrganization = (
  row: OrganizationRow,
  externalIds: ReadonlyArray<ExternalIdRow>
): Organization => ({
  id: row.id as OrganizationId,
  division: row.division,
  externalIds: externalIds.map(({ source, externalId }) => ({ source, externalId })),
  name: row.name,
  companyType: row.companyType,
  industry: row.industry,
  phoneNumber: row.phoneNumber,
  faxNumber: row.faxNumber,
  employeeCount: row.employeeCount,
  revenue: row.revenue,
  tags: row.tags,
  websites: row.websites,
  addressLine1: row.addressLine1,
  addressLine2: row.addressLine2,
  city: row.city,
  state: row.state,
  postalCode: row.postalCode,
  country: row.country,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt)
})

export const fromOrganization = (organization: Organization): OrganizationRow => ({
  id: organization.id,
  division: organization.division,
  name: organization.name,
  companyType: organization.companyType,
  industry: organization.industry,
  phoneNumber: organization.phoneNumber,
  faxNumber: organization.faxNumber,
  employeeCount: organization.employeeCount,
  revenue: organization.revenue,
  tags: organization.tags === null ? null : [...organization.tags],
  websites: organization.websites === null ? null : [...organization.websites],
  addressLine1: organization.addressLine1,
  addressLine2: organization.addressLine2,
  city: organization.city,
  state: organization.state,
  postalCode: organization.postalCode,
  country: organization.country,
  createdAt: organization.createdAt,
  updatedAt: organization.updatedAt
})

/** Groups External ID rows by the record they name. */
export const groupExternalIds = <R extends ExternalIdRow>(
  rows: ReadonlyArray<R>,
  ownerOf: (row: R) => string
): Map<string, Array<R>> => {
  const byOwner = new Map<string, Array<R>>()
  for (const row of rows) {
    const owner = ownerOf(row)
    const list = byOwner.get(owner)
    if (list === undefined) byOwner.set(owner, [row])
    else list.push(row)
  }
  return byOwner
}

/** Rows a statement changed, as node-postgres (`rowCount`) or PGlite (`affectedRows`) says. */
export const changedRows = (result: unknown): number => {
  const { rowCount, affectedRows } = result as {
    readonly rowCount?: number | null
    readonly affectedRows?: number
  }
  return rowCount ?? affectedRows ?? 0
}
