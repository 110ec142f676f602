import type { ImportSettings } from "../ImportSettings.ts"
import { type Problem, problemError, problemWarning } from "../Problem.ts"
import { settingHint } from "../SettingHint.ts"
import {
  type ColumnDefinition,
  type ColumnTarget,
  columns,
  findColumn,
  normalizeHeader
} from "./Columns.ts"
import type { CsvRecord } from "./CsvReader.ts"

/** One CSV column as the importer understands it. */
export interface MappedColumn {
  readonly index: number
  readonly header: string
  readonly target: ColumnTarget
  readonly maxLength: number | null
}

/** How the cells of every row map to fields, and what the header itself got wrong. */
export interface HeaderMap {
  /** The header cells as written (trimmed), by position, to name columns in problems. */
  readonly headers: ReadonlyArray<string>
  readonly columns: ReadonlyArray<MappedColumn>
  /** Number of header cells that count (an empty trailing header cell is ignored). */
  readonly width: number
  readonly problems: ReadonlyArray<Problem>
  readonly hasContactKey: boolean
  readonly hasOrganizationKey: boolean
}

const customPrefix = /^custom\s*[:.]\s*/iu

/**
 * How a mapping's header is told from another: case and surrounding spaces aside. A mapping may
 * hold `Email` and `E-mail` (a file may have both), not `Email` and `email `.
 */
export const mappingHeaderKey = (header: string): string => header.trim().toLowerCase()

const canonicalByName = new Map(columns.map((column) => [normalizeHeader(column.header), column]))

/**
 * Whether a mapping target names a column: a canonical header or alias of spec §3, or a custom
 * field (`custom.<name>` or `Custom: <name>` with a name).
 */
export const isMappingTarget = (target: string): boolean => {
  const found = resolveMapping(target)
  return found !== undefined && (!("custom" in found) || found.custom !== "")
}

const resolveMapping = (target: string): ColumnDefinition | { custom: string } | undefined => {
  const custom = target.match(customPrefix)
  if (custom) return { custom: target.slice(custom[0].length).trim() }
  return canonicalByName.get(normalizeHeader(target)) ?? findColumn(target)
}

/**
 * A header line the reader could not take in whole (a cell or the line over its size limit):
 * the file fails, since the next line is no header either.
 */
export const unreadableHeader = (record: CsvRecord): Problem | null => {
  const { oversize, line } = record
  if (oversize === null) return null
  return problemError(
    line,
    null,
    oversize._tag === "FieldTooLong" ? "FIELD_TOO_LONG" : "RECORD_TOO_LONG",
    (oversize._tag === "FieldTooLong"
      ? `The header's column ${oversize.column + 1} is longer than ${oversize.limit} characters`
      : `The header line is longer than ${oversize.limit} characters`) +
      ", so the file has no header that can be read. Check that the file's first line is its " +
      "header, and for a quote that opens a field by mistake."
  )
}

/**
 * Maps the header cells to columns: an explicit mapping from the settings first, then canonical
 * headers and aliases, then `Custom: name`. Reports duplicate targets, mapped headers the file
 * does not have, missing key columns and unknown columns.
 */
export const mapHeader = (
  cells: ReadonlyArray<string>,
  line: number,
  settings: ImportSettings
): HeaderMap => {
  const problems: Array<Problem> = []
  if (cells.some((cell) => cell.includes("\u0000"))) {
    problems.push(
      problemError(
        line,
        null,
        "BINARY_CONTENT",
        "The header holds NUL bytes: the file is binary, or UTF-16 saved without a byte order " +
          "mark. Save it as UTF-8 (or UTF-16 with a BOM) and import it again."
      )
    )
    return {
      headers: [],
      columns: [],
      width: cells.length,
      problems,
      hasContactKey: false,
      hasOrganizationKey: false
    }
  }
  const mapped: Array<MappedColumn> = []
  const unknown: Array<string> = []
  let width = cells.length
  while (width > 0 && cells[width - 1]!.trim() === "") width--

  // A mapping names its header as the header match does (case, spaces, `_`, `-` and `.`
  // aside), but one written as one of the file's headers (case and surrounding spaces aside)
  // maps that header only: with `Email` and `E-mail` both in the file, `E-mail=Personal Email`
  // leaves `Email` to its own mapping or to match by itself.
  const written = new Set(cells.slice(0, width).map(mappingHeaderKey))
  const exact = new Map(
    Object.entries(settings.mapping).map(([from, to]) => [mappingHeaderKey(from), to] as const)
  )
  const loose = new Map<string, Array<string>>()
  for (const from of Object.keys(settings.mapping)) {
    if (written.has(mappingHeaderKey(from))) continue
    const key = normalizeHeader(from)
    loose.set(key, [...(loose.get(key) ?? []), from])
  }

  const candidates: Array<MappedColumn & { readonly key: string; readonly explicit: boolean }> = []
  for (let index = 0; index < width; index++) {
    const header = cells[index]!.trim()
    let mappedTo = exact.get(mappingHeaderKey(header))
    if (mappedTo === undefined) {
      const matching = loose.get(normalizeHeader(header)) ?? []
      if (matching.length > 1) {
        problems.push(
          problemError(
            line,
            header,
            "MAPPING_AMBIGUOUS",
            `The mappings for ${matching.map((from) => `"${from}"`).join(" and ")} all match the ` +
              `header "${header}"; write the mapping's header as the file writes it.`
          )
        )
        continue
      }
      mappedTo = matching[0] === undefined ? undefined : settings.mapping[matching[0]]
    }
    const found = mappedTo === undefined ? undefined : resolveMapping(mappedTo)
    const custom = header.match(customPrefix)
    let target: ColumnTarget | undefined
    let maxLength: number | null = null
    if (found !== undefined && "custom" in found) {
      target = { entity: "custom", field: found.custom }
    } else if (found !== undefined) {
      target = found.target
      maxLength = found.maxLength
    } else {
      const column = findColumn(header)
      if (column !== undefined) {
        target = column.target
        maxLength = column.maxLength
      } else if (custom) {
        const name = header.slice(custom[0].length).trim()
        if (name === "") {
          unknown.push(`"${header}" (a custom field needs a name: "Custom: <name>")`)
          continue
        }
        target = { entity: "custom", field: name }
      } else if (settings.unknownColumns === "keep" && header !== "") {
        target = { entity: "custom", field: header }
      }
    }
    if (target === undefined) {
      // A column without a header between named ones is left out too, and said so: its
      // cells may hold data.
      unknown.push(header === "" ? `column ${index + 1} (no header)` : `"${header}"`)
      continue
    }
    // Custom field names match as headers do (spec §2): `Custom: Tier` and `tier` are one.
    const field = target.entity === "custom" ? normalizeHeader(target.field) : target.field
    const key = `${target.entity}.${field}`
    candidates.push({ index, header, target, maxLength, key, explicit: found !== undefined })
  }

  // An explicit mapping wins over automatic matching (spec §2): a column that only its header
  // would put in a mapped field steps aside, and the warning says which column took its place.
  const mappedFrom = new Map<string, string>()
  for (const column of candidates) {
    if (column.explicit && !mappedFrom.has(column.key)) mappedFrom.set(column.key, column.header)
  }
  const seen = new Map<string, string>()
  for (const { key, explicit: isExplicit, ...column } of candidates) {
    const winner = mappedFrom.get(key)
    if (!isExplicit && winner !== undefined) {
      unknown.push(`"${column.header}" (the mapping puts "${winner}" in its field)`)
      continue
    }
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      const isCustom = column.target.entity === "custom"
      problems.push(
        problemError(
          line,
          column.header,
          "HEADER_DUPLICATE",
          `Columns "${earlier}" and "${column.header}" both map to ` +
            `${isCustom ? `the custom field "${column.target.field}"` : key}; remove one or map ` +
            "it elsewhere."
        )
      )
      continue
    }
    seen.set(key, column.header)
    mapped.push(column)
  }

  // A mapping says what the file holds: one whose header is not there would leave the column's
  // values out without a word, so the file fails instead, before anything is written.
  const present = new Set(cells.slice(0, width).map(normalizeHeader))
  for (const [from, to] of Object.entries(settings.mapping)) {
    if (present.has(normalizeHeader(from))) continue
    problems.push(
      problemError(
        line,
        null,
        "MAPPED_HEADER_MISSING",
        `The mapping "${from}=${to}" names the header "${from}", which the file does not have; ` +
          "check its spelling against the file's header, or leave the mapping out."
      )
    )
  }

  if (unknown.length > 0) {
    problems.push(
      problemWarning(
        line,
        null,
        "UNKNOWN_COLUMN",
        `Ignored columns: ${unknown.join(", ")}. ${unknownColumnsAdvice(unknown)}`.trimEnd()
      )
    )
  }

  const has = (entity: string, field: string) =>
    mapped.some((column) => column.target.entity === entity && column.target.field === field)
  const hasOrganizationColumns = mapped.some((column) => column.target.entity === "organization")
  const hasOrganizationKey =
    has("organization", "externalId") ||
    (settings.organizationKey === "name" && has("organization", "name"))
  if (!has("contact", "externalId") && !hasOrganizationKey) {
    problems.push(
      problemError(
        line,
        null,
        "KEY_COLUMN_MISSING",
        "The file has neither an External ID column nor an External Organization External ID " +
          "column; add one or map a column to it with " +
          `${settingHint("--map", "map", "<header>=External ID")}.`
      )
    )
  } else if (hasOrganizationColumns && !hasOrganizationKey) {
    problems.push(
      problemError(
        line,
        null,
        "ORGANIZATION_KEY_COLUMN_MISSING",
        "The file has organization columns but no organization key. Map a key column with " +
          `${settingHint("--map", "map", "<header>=External Organization External ID")}, ` +
          "or derive the key from the organization name with " +
          `${settingHint("--org-key", "orgKey", "name")}.`
      )
    )
  }
  return {
    headers: cells.map((cell) => cell.trim()),
    columns: mapped,
    width,
    problems,
    hasContactKey: has("contact", "externalId"),
    hasOrganizationKey
  }
}

/**
 * What the UNKNOWN_COLUMN warning suggests, by what was left out: an entry with a reason in
 * parentheses (a nameless custom field, a column a mapping replaced) explains itself.
 */
const unknownColumnsAdvice = (unknown: ReadonlyArray<string>): string => {
  const advice: Array<string> = []
  if (unknown.some((entry) => entry.startsWith('"') && !entry.endsWith(")"))) {
    advice.push(
      "Map them to a field, or keep them as custom fields with " +
        `${settingHint("--unknown-columns", "unknownColumns", "keep")}.`
    )
  }
  if (unknown.some((entry) => entry.startsWith("column "))) {
    advice.push("Give a column a header in the file to import its cells.")
  }
  return advice.join(" ")
}
