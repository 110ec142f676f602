import { Schema } from "effect"
import { Phone } from "./Phone.ts"

export const ContactId = Schema.String.pipe(Schema.brand("ContactId"))
export type ContactId = typeof ContactId.Type

const Text = Schema.NullOr(Schema.String)

/** The text fields of a contact, in the order of spec §3. */
export const contactTextFields = [
  "firstName",
  "middleName",
  "lastName",
  "salutation",
  "title",
  "workEmail",
  "personalEmail",
  "otherEmail",
  "addressLine1",
  "addressLine2",
  "city",
  "state",
  "postalCode",
  "country",
  "externalSystemUrl"
] as const
export type ContactTextField = (typeof contactTextFields)[number]

export const contactEmailFields = ["workEmail", "personalEmail", "otherEmail"] as const
export type ContactEmailField = (typeof contactEmailFields)[number]

export const contactPhoneFields = ["workPhone", "cellPhone", "homePhone", "otherPhone"] as const
export type ContactPhoneField = (typeof contactPhoneFields)[number]

/** What a file or a person can set on a contact. */
export const ContactFields = Schema.Struct({
  firstName: Text,
  middleName: Text,
  lastName: Text,
  salutation: Text,
  title: Text,
  workEmail: Text,
  personalEmail: Text,
  otherEmail: Text,
  workPhone: Schema.NullOr(Phone),
  cellPhone: Schema.NullOr(Phone),
  homePhone: Schema.NullOr(Phone),
  otherPhone: Schema.NullOr(Phone),
  addressLine1: Text,
  addressLine2: Text,
  city: Text,
  state: Text,
  postalCode: Text,
  country: Text,
  surveyOptOut: Schema.NullOr(Schema.Boolean),
  externalSystemUrl: Text,
  custom: Schema.Record(Schema.String, Schema.String)
})
export type ContactFields = typeof ContactFields.Type
export type ContactField = keyof ContactFields

/** The External ID a contact holds in one external source and division. */
export const ContactExternalId = Schema.Struct({
  source: Schema.String,
  externalId: Schema.String
})
export type ContactExternalId = typeof ContactExternalId.Type

/** How many External IDs, across sources, one contact may hold. */
export const MAX_EXTERNAL_IDS = 10

/** A person outside the company, with the External IDs that name it in external sources. */
export const Contact = Schema.Struct({
  id: ContactId,
  division: Schema.String,
  externalIds: Schema.Array(ContactExternalId),
  ...ContactFields.fields,
  organizationId: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.String
})
export type Contact = typeof Contact.Type

export const emptyContactFields: ContactFields = {
  firstName: null,
  middleName: null,
  lastName: null,
  salutation: null,
  title: null,
  workEmail: null,
  personalEmail: null,
  otherEmail: null,
  workPhone: null,
  cellPhone: null,
  homePhone: null,
  otherPhone: null,
  addressLine1: null,
  addressLine2: null,
  city: null,
  state: null,
  postalCode: null,
  country: null,
  surveyOptOut: null,
  externalSystemUrl: null,
  custom: {}
}

/** The E.164 phones of a contact: the only phone values that take part in matching. */
export const contactE164s = (contact: ContactFields): ReadonlyArray<string> =>
  contactPhoneFields.flatMap((field) => {
    const e164 = contact[field]?.e164
    return e164 ? [e164] : []
  })

/** The emails of a contact in their matching form (lowercase). */
export const contactEmailKeys = (contact: ContactFields): ReadonlyArray<string> =>
  contactEmailFields.flatMap((field) => {
    const email = contact[field]
    return email ? [email.toLowerCase()] : []
  })
