import type { Problem } from "../Problem.ts"

/** The columns a report adds after the file's own. */
export const reportColumns = [
  "line",
  "outcome",
  "contact_id",
  "organization_id",
  "messages"
] as const

/** What a report says about one row of the file. */
export interface ReportRow {
  readonly line: number
  readonly outcome: string
  readonly contactId: string | null
  readonly organizationId: string | null
  readonly problems: ReadonlyArray<Problem>
}

const dangerous = /^[=+\-@\t\r']/u

/**
 * Makes a cell inert for spreadsheets: a cell that starts with `=`, `+`, `-`, `@`, tab or CR is
 * prefixed with an apostrophe, so that it is shown as text and never evaluated. A cell that
 * starts with an apostrophe gets one more, so that a report imported again can tell the value
 * `'=1` (written `''=1`) from the neutralized `=1` (written `'=1`).
 */
export const neutralizeCell = (cell: string): string => (dangerous.test(cell) ? `'${cell}` : cell)

/** Quotes a cell for CSV when it holds a delimiter, a quote or a line break. */
export const quoteCell = (cell: string): string =>
  /[",\r\n]/u.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell

/** One CSV line of safe, quoted cells, ended by CRLF as RFC 4180 writes it. */
export const reportLine = (cells: ReadonlyArray<string>): string =>
  `${cells.map((cell) => quoteCell(neutralizeCell(cell))).join(",")}\r\n`

/** A person's summary of a row's problems: `CODE [column]: message`, separated by ` | `. */
export const problemsText = (problems: ReadonlyArray<Problem>): string =>
  problems
    .map((problem) =>
      problem.column === null
        ? `${problem.code}: ${problem.message}`
        : `${problem.code} [${problem.column}]: ${problem.message}`
    )
    .join(" | ")

/** The report's header: the file's header cells, then the report's own columns. */
export const reportHeader = (header: ReadonlyArray<string>): string =>
  reportLine([...header, ...reportColumns])

/**
 * One report line: the row's original cells (padded to the header's width so that the report's
 * columns line up), then what happened to it.
 */
export const reportRowLine = (cells: ReadonlyArray<string>, width: number, row: ReportRow) => {
  // Every row has the header's width, so that the report's own columns stay under their names;
  // values past the header (a row the reader rejected for them) are named as left out.
  const original =
    cells.length >= width
      ? cells.slice(0, width)
      : [...cells, ...Array(width - cells.length).fill("")]
  const cut = cells.slice(width).some((cell) => cell.trim() !== "")
  const notes = [
    problemsText(row.problems),
    cut
      ? `values past column ${width} are not in this report; see line ${row.line} of the file`
      : ""
  ]
  return reportLine([
    ...original,
    String(row.line),
    row.outcome,
    row.contactId ?? "",
    row.organizationId ?? "",
    notes.filter((note) => note !== "").join(" | ")
  ])
}
