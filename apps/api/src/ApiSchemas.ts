import {
  Contact,
  contactFieldMaxLength,
  EMPLOYEE_COUNT_MAX,
  ExternalIdText,
  ImportJob,
  ImportProfile,
  isHttpUrl,
  isWebsite,
  Organization,
  organizationFieldMaxLength,
  Problem,
  ProfileName,
  ProfileSettingsInput,
  SettingName,
  wholeNumberPattern,
  wouldBe
} from "@xcontacts/domain"
import { Schema } from "effect"

// A value the import rejects is rejected here too, with the import's own limits and predicates,
// so that a record is valid or not whichever way it came in; the checks also reach OpenAPI.

/** Text of a field, at most as long as the import takes it; null clears the field. */
const Text = (maxLength: number) =>
  Schema.optionalKey(Schema.NullOr(Schema.String.check(Schema.isMaxLength(maxLength))))
const PhoneText = (maxLength: number) =>
  Schema.optionalKey(
    Schema.NullOr(
      Schema.String.check(Schema.isMaxLength(maxLength)).annotate({
        description:
          "As written: +CC…, 00CC… or national with phoneCountry; kept raw, E.164 if valid"
      })
    )
  )
const HttpUrl = Schema.String.check(
  Schema.isMaxLength(contactFieldMaxLength.externalSystemUrl),
  Schema.makeFilter(isHttpUrl, { expected: "an http(s) URL" })
).annotate({ description: "An absolute http:// or https:// URL" })
const Website = Schema.String.check(
  Schema.makeFilter(isWebsite, { expected: "a website such as example.com or https://example.com" })
).annotate({ description: "A host name such as example.com, or an http(s) URL" })
const OrganizationName = Schema.String.check(
  Schema.isPattern(/\S/u, { expected: "an Organization Name that is not blank" }),
  Schema.isMaxLength(organizationFieldMaxLength.name)
)
const WholeNumberText = Schema.String.check(
  Schema.isPattern(wholeNumberPattern, { expected: "a whole non-negative number in digits" }),
  Schema.isMaxLength(organizationFieldMaxLength.revenue)
)
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
  firstName: Text(contactFieldMaxLength.firstName),
  middleName: Text(contactFieldMaxLength.middleName),
  lastName: Text(contactFieldMaxLength.lastName),
  salutation: Text(contactFieldMaxLength.salutation),
  title: Text(contactFieldMaxLength.title),
  workEmail: Text(contactFieldMaxLength.workEmail),
  personalEmail: Text(contactFieldMaxLength.personalEmail),
  otherEmail: Text(contactFieldMaxLength.otherEmail),
  workPhone: PhoneText(contactFieldMaxLength.workPhone),
  cellPhone: PhoneText(contactFieldMaxLength.cellPhone),
  homePhone: PhoneText(contactFieldMaxLength.homePhone),
  otherPhone: PhoneText(contactFieldMaxLength.otherPhone),
  addressLine1: Text(contactFieldMaxLength.addressLine1),
  addressLine2: Text(contactFieldMaxLength.addressLine2),
  city: Text(contactFieldMaxLength.city),
  state: Text(contactFieldMaxLength.state),
  postalCode: Text(contactFieldMaxLength.postalCode),
  country: Text(contactFieldMaxLength.country),
  surveyOptOut: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  externalSystemUrl: Schema.optionalKey(Schema.NullOr(HttpUrl)),
  custom: Schema.optionalKey(Schema.Record(Schema.String, Schema.String)),
  organizationId: Schema.optionalKey(Schema.NullOr(Schema.String)),
  phoneCountry: PhoneCountryField
}

/** An External ID given to a new record: 1 to 255 characters, trimmed, no control characters. */
export const ExternalIdBody = Schema.Struct({
  source: SettingName,
  externalId: ExternalIdText
}).annotate({ identifier: "ExternalId" })

/** A contact created by hand; without External IDs it is a legacy contact for imports. */
export const NewContactBody = Schema.Struct({
  division: Schema.optionalKey(SettingName),
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
  name: Schema.optionalKey(OrganizationName),
  companyType: Text(organizationFieldMaxLength.companyType),
  industry: Text(organizationFieldMaxLength.industry),
  phoneNumber: PhoneText(organizationFieldMaxLength.phoneNumber),
  faxNumber: PhoneText(organizationFieldMaxLength.faxNumber),
  employeeCount: Schema.optionalKey(
    Schema.NullOr(
      Schema.Int.check(
        Schema.isGreaterThanOrEqualTo(0),
        Schema.isLessThanOrEqualTo(EMPLOYEE_COUNT_MAX)
      )
    )
  ),
  revenue: Schema.optionalKey(Schema.NullOr(WholeNumberText)),
  tags: Schema.optionalKey(Schema.NullOr(Schema.Array(Schema.String))),
  websites: Schema.optionalKey(Schema.NullOr(Schema.Array(Website))),
  addressLine1: Text(organizationFieldMaxLength.addressLine1),
  addressLine2: Text(organizationFieldMaxLength.addressLine2),
  city: Text(organizationFieldMaxLength.city),
  state: Text(organizationFieldMaxLength.state),
  postalCode: Text(organizationFieldMaxLength.postalCode),
  country: Text(organizationFieldMaxLength.country),
  phoneCountry: PhoneCountryField
}

/**
 * An organization created by hand, with its Organization Name, as the import requires to create
 * one; give it an External ID so that files can target it.
 */
export const NewOrganizationBody = Schema.Struct({
  division: Schema.optionalKey(SettingName),
  ...organizationWrites,
  name: OrganizationName
}).annotate({ identifier: "NewOrganization" })

/** The fields to change on an organization; those left out stay, null clears, but not the name. */
export const OrganizationPatchBody = Schema.Struct(organizationWrites).annotate({
  identifier: "OrganizationPatch"
})

/** An External Organization External ID to give an organization (default source `default`). */
export const AssignExternalIdBody = Schema.Struct({
  source: Schema.optionalKey(SettingName),
  externalId: ExternalIdBody.fields.externalId
}).annotate({ identifier: "AssignExternalId" })

export const ImportProfileBody = ImportProfile.annotate({ identifier: "ImportProfile" })

export const ImportProfileList = Schema.Struct({ data: Schema.Array(ImportProfileBody) })

/** A new import profile: a unique name and the settings it fixes. */
export const NewImportProfileBody = Schema.Struct({
  name: ProfileName,
  settings: ProfileSettingsInput
}).annotate({ identifier: "NewImportProfile" })

/** The settings that replace a profile's own. */
export const ImportProfileSettingsBody = Schema.Struct({ settings: ProfileSettingsInput }).annotate(
  {
    identifier: "ImportProfileSettings"
  }
)

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
export const ImportJobBody = Schema.Struct({
  ...jobFields,
  wouldBe: Schema.Boolean.annotate({
    description:
      "true while the counters are a validation's, what an import would do (validating, " +
      "validated, or cancelled before importing); false once they count committed rows"
  })
}).annotate({ identifier: "ImportJob" })

/** A job as `ImportJobBody` encodes it. */
export const jobBody = (job: ImportJob) => ({ ...job, wouldBe: wouldBe(job) })

/** Import jobs, newest first. */
export const ImportJobList = Schema.Struct({ data: Schema.Array(ImportJobBody) }).annotate({
  identifier: "ImportJobList"
})

/** One problem of an import: its code, line, column when one is to blame, and message. */
export const ImportProblemBody = Problem.annotate({ identifier: "ImportProblem" })

/** A page of a job's problems in line order; `nextAfter` fetches the next one, null on the last. */
export const ImportProblemPage = Schema.Struct({
  data: Schema.Array(ImportProblemBody),
  nextAfter: Schema.NullOr(Schema.Int)
}).annotate({ identifier: "ImportProblemPage" })
