import type { ContactFields } from "../Contact.ts"
import { cleanEmail, isEmail } from "../Email.ts"
import { externalIdControl } from "../ExternalId.ts"
import { EMPLOYEE_COUNT_MAX, isHttpUrl, isWebsite, wholeNumberPattern } from "../FieldRules.ts"
import type { ImportSettings } from "../ImportSettings.ts"
import { type OrganizationFields, organizationKeyFromName } from "../Organization.ts"
import { normalizePhone } from "../Phone.ts"
import { parsePhoneCountry } from "../PhoneCountry.ts"
import {
  isError,
  type Problem,
  type ProblemCode,
  problemError,
  problemWarning
} from "../Problem.ts"
import { settingHint } from "../SettingHint.ts"
import type { CsvRecord } from "./CsvRecord.ts"
import type { HeaderMap, MappedColumn } from "./HeaderMap.ts"

/**
 * The contact part of a checked row: its External ID and the fields the file sets. A field that
 * is absent was not in the file; a `null` value is a blank cell.
 */
export interface ContactInput {
  readonly externalId: string
  readonly fields: Partial<ContactFields>
}

/** The organization part of a checked row: its key and the fields the file sets. */
export interface OrganizationInput {
  readonly key: string
  readonly fields: Partial<OrganizationFields>
}

/** A row that passed every check: what it says about a contact, an organization, or both. */
export interface CheckedRow {
  readonly _tag: "Checked"
  readonly line: number
  readonly contact: ContactInput | null
  readonly organization: OrganizationInput | null
  readonly problems: ReadonlyArray<Problem>
}

/** A row that failed a check: nothing of it is written. */
export interface RejectedRow {
  readonly _tag: "Rejected"
  readonly line: number
  readonly problems: ReadonlyArray<Problem>
  /**
   * The organization key of a row that names one without an Organization Name: the planner adds
   * `ORGANIZATION_NAME_REQUIRED` when no such organization exists at the row, so that the row's
   * every problem is reported in one run (spec §4), not this one only after the others are fixed.
   */
  readonly organizationWithoutName?: string
}

/** A row whose cells are all empty: skipped and counted, never an error. */
export interface BlankRow {
  readonly _tag: "Blank"
  readonly line: number
}

export type RowResult = CheckedRow | RejectedRow | BlankRow

type Fields = Record<string, unknown>

const booleans = new Map([
  ["true", true],
  ["yes", true],
  ["1", true],
  ["y", true],
  ["false", false],
  ["no", false],
  ["0", false],
  ["n", false]
])

const truncate = (value: string): string => (value.length > 60 ? `${value.slice(0, 57)}...` : value)

/**
 * Checks one record against the header map and the rules of spec §3–§5. Never throws: a bad
 * value becomes a problem on the row.
 */
export const checkRow = (
  record: CsvRecord,
  header: HeaderMap,
  settings: ImportSettings
): RowResult => {
  const { cells, line } = record
  if (record.oversize === null && cells.every((cell) => cell.trim() === "")) {
    return { _tag: "Blank", line }
  }

  const problems: Array<Problem> = []
  const error = (column: MappedColumn | null, code: ProblemCode, message: string) =>
    problems.push(problemError(line, column?.header ?? null, code, message))
  const warn = (column: MappedColumn | null, code: ProblemCode, message: string) =>
    problems.push(problemWarning(line, column?.header ?? null, code, message))

  const unreadable = unreadableRow(record, header)
  if (unreadable !== null) return { _tag: "Rejected", line, problems: [unreadable] }

  for (let index = header.width; index < cells.length; index++) {
    if (cells[index]!.trim() !== "") {
      error(
        null,
        "COLUMN_COUNT_MISMATCH",
        `The row has a value in column ${index + 1} but the header has ${header.width} columns; ` +
          "the columns have probably shifted (an unquoted delimiter inside a value)."
      )
      return { _tag: "Rejected", line, problems }
    }
  }
  if (cells.length < header.width) {
    warn(
      null,
      "ROW_SHORT",
      `The row has ${cells.length} cells where the header has ${header.width}; ` +
        "the missing cells are read as blank."
    )
  }

  const contact: Fields = {}
  const organization: Fields = {}
  const custom: Record<string, string> = {}
  let contactKey: string | null = null
  let organizationKey: string | null = null
  let phoneCountryCell = ""
  let hasContactData = false
  let hasOrganizationData = false
  let organizationKeyValid = false
  let organizationNameGiven = false

  for (const column of header.columns) {
    const cell = cells[column.index] ?? ""
    const value = cell.trim()
    if (column.target.entity === "custom") {
      // A blank custom cell is kept as "", so that `blank: clear` can erase the stored value.
      custom[column.target.field] = value
      if (value !== "") hasContactData = true
      continue
    }
    if (value !== "") {
      if (column.target.entity === "contact") hasContactData = true
      else hasOrganizationData = true
    }
    if (column.target.field === "phoneCountry") {
      phoneCountryCell = value
      continue
    }
    if (column.target.entity === "organization" && column.target.field === "name") {
      organizationNameGiven = value !== ""
    }
    if (column.target.field === "externalId") {
      if (column.target.entity === "contact") contactKey = value
      else organizationKey = value
      const control = externalIdControl(value)
      if (column.target.entity === "organization") {
        organizationKeyValid = value !== "" && value.length <= 255 && control === null
      }
      if (value.length > 255) {
        error(
          column,
          column.target.entity === "contact" ? "EXTERNAL_ID_TOO_LONG" : "VALUE_TOO_LONG",
          `The key has ${value.length} characters; at most 255 are allowed.`
        )
      }
      if (control !== null) {
        error(
          column,
          "EXTERNAL_ID_INVALID",
          `The key holds a control character, ${control.codePoint} at position ` +
            `${control.position} (a line break or a tab, say). Keys are matched exactly, so the ` +
            "row was not imported: remove the character in the source system or the file."
        )
      }
      continue
    }
    const into = column.target.entity === "contact" ? contact : organization
    if (value === "") {
      into[column.target.field] = null
      continue
    }
    if (column.maxLength !== null && value.length > column.maxLength) {
      error(
        column,
        "VALUE_TOO_LONG",
        `The value has ${value.length} characters; at most ${column.maxLength} are allowed.`
      )
      continue
    }
    into[column.target.field] = value
  }

  const country = parsePhoneCountry(phoneCountryCell === "" ? settings.country : phoneCountryCell)
  if (country === null) {
    error(
      header.columns.find((column) => column.target.field === "phoneCountry") ?? null,
      "PHONE_COUNTRY_INVALID",
      `"${truncate(phoneCountryCell)}" is not a country; write an ISO code such as GB or a ` +
        "calling code such as 44."
    )
  }
  for (const column of header.columns) {
    const field = column.target.field
    const into = column.target.entity === "contact" ? contact : organization
    const value = into[field]
    if (typeof value !== "string" || column.target.entity === "custom") continue
    switch (field) {
      case "workEmail":
      case "personalEmail":
      case "otherEmail": {
        const email = cleanEmail(value)
        if (!isEmail(email)) {
          error(column, "EMAIL_INVALID", `"${truncate(value)}" is not a valid email address.`)
        }
        into[field] = email
        break
      }
      case "workPhone":
      case "cellPhone":
      case "homePhone":
      case "otherPhone":
      case "phoneNumber":
      case "faxNumber": {
        if (country === null) break
        const { phone, issues } = normalizePhone(value, country)
        for (const issue of issues) warn(column, issue.code, issue.message)
        into[field] = phone
        break
      }
      case "surveyOptOut": {
        const parsed = booleans.get(value.toLowerCase())
        if (parsed === undefined) {
          error(
            column,
            "BOOLEAN_INVALID",
            `"${truncate(value)}" is not a yes/no value; write true/false, yes/no or 1/0.`
          )
        }
        into[field] = parsed ?? null
        break
      }
      case "employeeCount":
      case "revenue": {
        if (!wholeNumberPattern.test(value)) {
          error(
            column,
            "NUMBER_INVALID",
            `"${truncate(value)}" is not a whole non-negative number.`
          )
        } else if (field === "employeeCount" && Number(value) > EMPLOYEE_COUNT_MAX) {
          error(
            column,
            "NUMBER_INVALID",
            `"${truncate(value)}" is too large for an employee count (at most ` +
              `${EMPLOYEE_COUNT_MAX.toLocaleString("en")}).`
          )
        }
        into[field] = field === "employeeCount" ? Number(value) : value.replace(/^0+(?=\d)/u, "")
        break
      }
      case "externalSystemUrl": {
        if (!isHttpUrl(value)) {
          error(column, "URL_INVALID", `"${truncate(value)}" is not an http(s) URL.`)
        }
        break
      }
      case "tags":
        into[field] = splitValues(value)
        break
      case "websites": {
        const websites = splitValues(value)
        const bad = websites.find((website) => !isWebsite(website))
        if (bad !== undefined) {
          error(
            column,
            "URL_INVALID",
            `"${truncate(bad)}" is not a website; write it as example.com or https://example.com.`
          )
        }
        into[field] = websites
        break
      }
    }
  }

  if (settings.organizationKey === "name" && organizationKey === null) {
    const name = organization["name"]
    if (typeof name === "string") organizationKey = organizationKeyFromName(name)
  }
  if (hasContactData && (contactKey === null || contactKey === "")) {
    error(
      header.columns.find(
        (column) => column.target.entity === "contact" && column.target.field === "externalId"
      ) ?? null,
      "EXTERNAL_ID_REQUIRED",
      "The row has contact data but no External ID."
    )
  }
  if (hasOrganizationData && (organizationKey === null || organizationKey === "")) {
    error(
      null,
      "ORGANIZATION_KEY_REQUIRED",
      settings.organizationKey === "name"
        ? "The row has organization data but no Organization Name to derive its key from."
        : "The row has organization data but no External Organization External ID."
    )
  }

  if (problems.some(isError)) {
    return organizationKeyValid && !organizationNameGiven && organizationKey !== null
      ? { _tag: "Rejected", line, problems, organizationWithoutName: organizationKey }
      : { _tag: "Rejected", line, problems }
  }
  if (Object.keys(custom).length > 0) contact["custom"] = custom
  return {
    _tag: "Checked",
    line,
    contact: hasContactData
      ? { externalId: contactKey!, fields: contact as Partial<ContactFields> }
      : null,
    organization: hasOrganizationData
      ? { key: organizationKey!, fields: organization as Partial<OrganizationFields> }
      : null,
    problems
  }
}

/** Values of a multi-value cell: separated by `;`, trimmed, each kept once. */
const splitValues = (value: string): Array<string> => {
  const seen = new Set<string>()
  return value
    .split(";")
    .map((part) => part.trim())
    .filter((part) => {
      const key = part.toLowerCase()
      if (part === "" || seen.has(key)) return false
      seen.add(key)
      return true
    })
}

/** A row the reader could not take in whole (over a size limit) or that holds a NUL byte. */
const unreadableRow = (record: CsvRecord, header: HeaderMap): Problem | null => {
  const { oversize, line } = record
  if (oversize?._tag === "FieldTooLong") {
    const name = header.headers[oversize.column] ?? `column ${oversize.column + 1}`
    return problemError(
      line,
      header.headers[oversize.column] ?? null,
      "FIELD_TOO_LONG",
      `The value in "${name}" is longer than ${oversize.limit} characters; the row was not read. ` +
        "Shorten it, or check for a quote that opens a field by mistake."
    )
  }
  if (oversize?._tag === "RecordTooLong") {
    return problemError(
      line,
      null,
      "RECORD_TOO_LONG",
      `The row is longer than ${oversize.limit} characters; it was not read. Check for a quote ` +
        "that opens a field by mistake."
    )
  }
  const column = record.cells.findIndex((cell) => cell.includes("\u0000"))
  if (column === -1) return null
  return problemError(
    line,
    header.headers[column] ?? null,
    "BINARY_CONTENT",
    "The row holds a NUL byte, so the file may be binary or in another encoding; the row was " +
      "not read. If the file is UTF-16 without a byte order mark, set " +
      `${settingHint("--encoding", "encoding", "utf-16le")}.`
  )
}
