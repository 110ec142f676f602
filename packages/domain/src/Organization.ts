import { Schema } from "effect"
import { Phone } from "./Phone.ts"

export const OrganizationId = Schema.String.pipe(Schema.brand("OrganizationId"))
export type OrganizationId = typeof OrganizationId.Type

const Text = Schema.NullOr(Schema.String)

/** What a file or a person can set on an organization. */
export const OrganizationFields = Schema.Struct({
  name: Text,
  companyType: Text,
  industry: Text,
  phoneNumber: Schema.NullOr(Phone),
  faxNumber: Schema.NullOr(Phone),
  employeeCount: Schema.NullOr(Schema.Int),
  revenue: Schema.NullOr(Schema.String),
  tags: Schema.NullOr(Schema.Array(Schema.String)),
  websites: Schema.NullOr(Schema.Array(Schema.String)),
  addressLine1: Text,
  addressLine2: Text,
  city: Text,
  state: Text,
  postalCode: Text,
  country: Text
})
export type OrganizationFields = typeof OrganizationFields.Type
export type OrganizationField = keyof OrganizationFields

/** The key an organization holds in one external source and division. */
export const OrganizationExternalId = Schema.Struct({
  source: Schema.String,
  externalId: Schema.String
})
export type OrganizationExternalId = typeof OrganizationExternalId.Type

/** A company or account that contacts belong to; matched by its External ID only, never by name. */
export const Organization = Schema.Struct({
  id: OrganizationId,
  division: Schema.String,
  externalIds: Schema.Array(OrganizationExternalId),
  ...OrganizationFields.fields,
  createdAt: Schema.String,
  updatedAt: Schema.String
})
export type Organization = typeof Organization.Type

export const emptyOrganizationFields: OrganizationFields = {
  name: null,
  companyType: null,
  industry: null,
  phoneNumber: null,
  faxNumber: null,
  employeeCount: null,
  revenue: null,
  tags: null,
  websites: null,
  addressLine1: null,
  addressLine2: null,
  city: null,
  state: null,
  postalCode: null,
  country: null
}

/**
 * The organization key derived from a name when a profile says `organizationKey: name`: Unicode
 * NFC, trimmed, inner spaces collapsed, case-folded.
 */
export const organizationKeyFromName = (name: string): string =>
  name.normalize("NFC").trim().replace(/\s+/gu, " ").toLowerCase()
