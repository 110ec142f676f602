import { Schema } from "effect"

/** Every stable problem code an import can report (spec §4). */
export const ProblemCode = Schema.Literals([
  "FILE_EMPTY",
  "HEADER_MISSING",
  "HEADER_DUPLICATE",
  "MAPPED_HEADER_MISSING",
  "MAPPING_AMBIGUOUS",
  "KEY_COLUMN_MISSING",
  "ORGANIZATION_KEY_COLUMN_MISSING",
  "QUOTE_NOT_CLOSED",
  "ENCODING_INVALID",
  "FILE_TOO_LARGE",
  "FILE_CHANGED",
  "FILE_UNAVAILABLE",
  "EXTERNAL_ID_REQUIRED",
  "EXTERNAL_ID_TOO_LONG",
  "EXTERNAL_ID_INVALID",
  "ORGANIZATION_KEY_REQUIRED",
  "ORGANIZATION_NAME_REQUIRED",
  "VALUE_TOO_LONG",
  "EMAIL_INVALID",
  "NUMBER_INVALID",
  "BOOLEAN_INVALID",
  "URL_INVALID",
  "COLUMN_COUNT_MISMATCH",
  "FIELD_TOO_LONG",
  "RECORD_TOO_LONG",
  "BINARY_CONTENT",
  "PHONE_NOT_E164",
  "PHONE_INVALID",
  "PHONE_SCIENTIFIC_NOTATION",
  "PHONE_PLACEHOLDER",
  "PHONE_EXTRA_TEXT",
  "PHONE_MULTIPLE_NUMBERS",
  "PHONE_COUNTRY_INVALID",
  "DUPLICATE_EXTERNAL_ID_IN_FILE",
  "ORGANIZATION_FIELDS_DIFFER",
  "AMBIGUOUS_MATCH",
  "IDENTITY_ALREADY_CLAIMED",
  "TOO_MANY_EXTERNAL_IDS",
  "UNKNOWN_COLUMN",
  "ROW_SHORT",
  "POSSIBLE_DUPLICATE_ORGANIZATION"
])
export type ProblemCode = typeof ProblemCode.Type

export const Severity = Schema.Literals(["error", "warning"])
export type Severity = typeof Severity.Type

/**
 * One thing wrong with a file or a row: a stable code, the physical line where the record starts
 * (the header is line 1), the column when one is to blame, and a message a person can act on.
 */
export const Problem = Schema.Struct({
  line: Schema.Int,
  column: Schema.NullOr(Schema.String),
  code: ProblemCode,
  severity: Severity,
  message: Schema.String
})
export type Problem = typeof Problem.Type

/**
 * Control characters in a message or column name are shown escaped (`\0`), so that a problem
 * about binary content can always be stored and printed.
 */
const printable = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/gu, (character) =>
    character === "\u0000" ? "\\0" : `\\x${character.charCodeAt(0).toString(16).padStart(2, "0")}`
  )

const problem = (
  line: number,
  column: string | null,
  code: ProblemCode,
  severity: Severity,
  message: string
): Problem => ({
  line,
  column: column === null ? null : printable(column),
  code,
  severity,
  message: printable(message)
})

export const problemError = (
  line: number,
  column: string | null,
  code: ProblemCode,
  message: string
): Problem => problem(line, column, code, "error", message)

export const problemWarning = (
  line: number,
  column: string | null,
  code: ProblemCode,
  message: string
): Problem => problem(line, column, code, "warning", message)

export const isError = (problem: Problem): boolean => problem.severity === "error"

/**
 * The leading problems of a list in line order, by whole lines: they end with the line that
 * brings their number to `limit`, so that paging after a line never splits one.
 */
export const wholeLines = (problems: ReadonlyArray<Problem>, limit: number): Array<Problem> => {
  const taken: Array<Problem> = []
  for (const problem of problems) {
    const last = taken.at(-1)
    if (taken.length >= limit && (last === undefined || last.line !== problem.line)) break
    taken.push(problem)
  }
  return taken
}

/** Two lists in line order as one; on a line both have, `first`'s problems come first. */
export const mergeByLine = (
  first: ReadonlyArray<Problem>,
  second: ReadonlyArray<Problem>
): Array<Problem> => {
  const merged: Array<Problem> = []
  let i = 0
  let j = 0
  while (i < first.length || j < second.length) {
    const next = j >= second.length || (i < first.length && first[i]!.line <= second[j]!.line)
    merged.push(next ? first[i++]! : second[j++]!)
  }
  return merged
}
