import {
  Contact,
  EXTERNAL_ID_MAX_LENGTH,
  ImportJob,
  ImportProfile,
  Organization,
  Problem,
  ProfileSettings
} from "@xcontacts/domain"
import { Schema } from "effect"

const Text = Schema.optionalKey(Schema.NullOr(Schema.String))
const PhoneText = Schema.optionalKey(
  Schema.NullOr(
    Schema.String.annotate({
      description: "As written: +CC…, 00CC… or national with phoneCountry; kept raw, E.164 if valid"
    })
  )
)
const Name = Schema.String.check(Schema.isTrimmed(), Schema.isMinLength(1))
const PhoneCountryField = Schema.optionalKey(
  Schema.String.annotate({ description: "Country of national phone numbers (default US)" })
)

/** The contact as the API returns it: every stored value, phones with raw and E.164 forms. */
export const ContactBody = Contact.annotate({ identifier: "Contact" })

/** A page of contacts; `nextCursor` fetches the next one, null on the last. */
export const ContactPage = Schema.Struct({
  data: Schema.Array(ContactBody),
  nextCursor: Schema.NullOr(Schema.String)
}).annotate({ identifier: "ContactPage" })

const contactWrites = {
  firstName: Text,
  middleName: Text,
  lastName: Text,
  salutation: Text,
  title: Text,
  workEmail: Text,
  personalEmail: Text,
  otherEmail: Text,
  workPhone: PhoneText,
  cellPhone: PhoneText,
  homePhone: PhoneText,
  otherPhone: PhoneText,
  addressLine1: Text,
  addressLine2: Text,
  city: Text,
  state: Text,
  postalCode: Text,
  country: Text,
  surveyOptOut: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  externalSystemUrl: Text,
  custom: Schema.optionalKey(Schema.Record(Schema.String, Schema.String)),
  organizationId: Schema.optionalKey(Schema.NullOr(Schema.String)),
  phoneCountry: PhoneCountryField
}

/** An External ID given to a new record: 1 to 255 characters, trimmed. */
export const ExternalIdBody = Schema.Struct({
  source: Name,
  externalId: Schema.String.check(
    Schema.isTrimmed(),
    Schema.isMinLength(1),
    Schema.isMaxLength(EXTERNAL_ID_MAX_LENGTH)
  )
}).annotate({ identifier: "ExternalId" })

/** A contact created by hand; without External IDs it is a legacy contact for imports. */
export const NewContactBody = Schema.Struct({
  division: Schema.optionalKey(Name),
  externalIds: Schema.optionalKey(Schema.Array(ExternalIdBody)),
  ...contactWrites
}).annotate({ identifier: "NewContact" })

/** The fields to change on a contact; those left out stay, null clears. */
export const ContactPatchBody = Schema.Struct(contactWrites).annotate({
  identifier: "ContactPatch"
})

export const OrganizationBody = Organization.annotate({ identifier: "Organization" })

export const OrganizationPage = Schema.Struct({
  data: Schema.Array(OrganizationBody),
  nextCursor: Schema.NullOr(Schema.String)
}).annotate({ identifier: "OrganizationPage" })

const organizationWrites = {
  name: Text,
  companyType: Text,
  industry: Text,
  phoneNumber: PhoneText,
  faxNumber: PhoneText,
  employeeCount: Schema.optionalKey(
    Schema.NullOr(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)))
  ),
  revenue: Text,
  tags: Schema.optionalKey(Schema.NullOr(Schema.Array(Schema.String))),
  websites: Schema.optionalKey(Schema.NullOr(Schema.Array(Schema.String))),
  addressLine1: Text,
  addressLine2: Text,
  city: Text,
  state: Text,
  postalCode: Text,
  country: Text,
  phoneCountry: PhoneCountryField
}

/** An organization created by hand; give it an External ID so that files can target it. */
export const NewOrganizationBody = Schema.Struct({
  division: Schema.optionalKey(Name),
  ...organizationWrites
}).annotate({ identifier: "NewOrganization" })

export const OrganizationPatchBody = Schema.Struct(organizationWrites).annotate({
  identifier: "OrganizationPatch"
})

/** An External Organization External ID to give an organization (default source `default`). */
export const AssignExternalIdBody = Schema.Struct({
  source: Schema.optionalKey(Name),
  externalId: ExternalIdBody.fields.externalId
}).annotate({ identifier: "AssignExternalId" })

export const ImportProfileBody = ImportProfile.annotate({ identifier: "ImportProfile" })

export const ImportProfileList = Schema.Struct({ data: Schema.Array(ImportProfileBody) })

/** A new import profile: a unique name and the settings it fixes. */
export const NewImportProfileBody = Schema.Struct({
  name: ImportProfile.fields.name,
  settings: ProfileSettings
}).annotate({ identifier: "NewImportProfile" })

/** The settings that replace a profile's own. */
export const ImportProfileSettingsBody = Schema.Struct({ settings: ProfileSettings }).annotate({
  identifier: "ImportProfileSettings"
})

export const ExternalSourceList = Schema.Struct({
  data: Schema.Array(Schema.Struct({ name: Schema.String, createdAt: Schema.String }))
}).annotate({ identifier: "ExternalSourceList" })

export const Health = Schema.Struct({ status: Schema.Literal("ok") })

const { file: _file, ...jobFields } = ImportJob.fields

/**
 * An import job as the API returns it: state, settings, counters, progress, its first problems
 * and their number (`GET /v1/imports/{id}/problems` pages through all); where the server keeps
 * the file stays on the server.
 */
export const ImportJobBody = Schema.Struct(jobFields).annotate({ identifier: "ImportJob" })

/** Import jobs, newest first. */
export const ImportJobList = Schema.Struct({ data: Schema.Array(ImportJobBody) }).annotate({
  identifier: "ImportJobList"
})

/** One problem of an import: its code, line, column when one is to blame, and message. */
export const ImportProblemBody = Problem.annotate({ identifier: "ImportProblem" })

/** A page of a job's problems in line order; `nextAfter` fetches the next one, null on the last. */
export const ImportProblemPage = Schema.Struct({
  data: Schema.Array(ImportProblemBody),
  nextAfter: Schema.NullOr(Schema.Number)
}).annotate({ identifier: "ImportProblemPage" })
