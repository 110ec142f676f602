import type { ContactField } from "./Contact.ts"
import type { OrganizationField } from "./Organization.ts"

// One definition of what a value may be, for a file (the row checker) and for a person (the API):
// a value one of them takes and the other rejects would be the same record, valid or not by path.

const addressMaxLength = {
  addressLine1: 200,
  addressLine2: 200,
  city: 100,
  state: 50,
  postalCode: 25,
  country: 25
} as const

/** The longest value, in characters, of each contact field (spec §3); null: no limit of its own. */
export const contactFieldMaxLength = {
  firstName: 1000,
  middleName: 1000,
  lastName: 1000,
  salutation: 1000,
  title: 1000,
  workEmail: 256,
  personalEmail: 256,
  otherEmail: 256,
  workPhone: 1000,
  cellPhone: 1000,
  homePhone: 1000,
  otherPhone: 1000,
  ...addressMaxLength,
  surveyOptOut: null,
  externalSystemUrl: 1000,
  custom: null
} as const satisfies { readonly [F in ContactField]: number | null }

/** The longest value, in characters, of each organization field (spec §3); null: no limit. */
export const organizationFieldMaxLength = {
  name: 1000,
  companyType: 1000,
  industry: 1000,
  phoneNumber: 1000,
  faxNumber: 1000,
  employeeCount: null,
  // Digits only; the store's numeric type takes far more, but no revenue needs more than this.
  revenue: 1000,
  tags: null,
  websites: null,
  ...addressMaxLength
} as const satisfies { readonly [F in OrganizationField]: number | null }

/** The largest employee count: the store keeps it as a 32-bit integer. */
export const EMPLOYEE_COUNT_MAX = 2_147_483_647

/** A whole non-negative number written in digits only, as employee counts and revenues are. */
export const wholeNumberPattern = /^\d+$/u

/** Whether a value is an absolute http or https URL, as External System URLs must be. */
export const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

const hostName =
  /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}(?::\d+)?(?:[/?#]\S*)?$/u

/** Whether a value is a website: an http(s) URL, or a host name such as `example.com/path`. */
export const isWebsite = (value: string): boolean => isHttpUrl(value) || hostName.test(value)
