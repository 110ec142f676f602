/** Why a record cannot be read as a row: it is kept as a row that fails, never stored. */
export type Oversize =
  | { readonly _tag: "FieldTooLong"; readonly column: number; readonly limit: number }
  | { readonly _tag: "RecordTooLong"; readonly limit: number }

/** One CSV record: its cells as written and the physical line where it starts. */
export interface CsvRecord {
  readonly line: number
  readonly cells: ReadonlyArray<string>
  /** Set when a field or the record passed its size limit; the cells are then left out. */
  readonly oversize: Oversize | null
}

/**
 * How many physical line breaks a piece of text holds: CR, LF and CRLF each count once, so that
 * a record's line does not depend on the style of the breaks before it (spec §2).
 */
export const countLineBreaks = (text: string): number => {
  let breaks = 0
  let at = text.indexOf("\n")
  while (at !== -1) {
    breaks++
    at = text.indexOf("\n", at + 1)
  }
  if (text.indexOf("\r") === -1) return breaks
  at = text.indexOf("\r")
  while (at !== -1) {
    if (text.charCodeAt(at + 1) !== 10) breaks++
    at = text.indexOf("\r", at + 1)
  }
  return breaks
}
