import { Schema } from "effect"

export const MatchCriterion = Schema.Literals(["email", "phone"])
export type MatchCriterion = typeof MatchCriterion.Type

export const MergeMode = Schema.Literals(["update-first", "merge-all", "reject"])
export type MergeMode = typeof MergeMode.Type

export const BlankPolicy = Schema.Literals(["ignore", "clear"])
export type BlankPolicy = typeof BlankPolicy.Type

export const OrganizationKeyMode = Schema.Literals(["column", "name"])
export type OrganizationKeyMode = typeof OrganizationKeyMode.Type

export const UnknownColumns = Schema.Literals(["ignore", "keep"])
export type UnknownColumns = typeof UnknownColumns.Type

export const Delimiter = Schema.Literals(["auto", ",", ";", "tab", "pipe"])
export type Delimiter = typeof Delimiter.Type

export const Encoding = Schema.Literals(["auto", "utf-8", "utf-16le", "utf-16be", "windows-1252"])
export type Encoding = typeof Encoding.Type

/** How one import reads its file and applies it to the store (an import profile's settings). */
export const ImportSettings = Schema.Struct({
  source: Schema.String,
  division: Schema.String,
  match: Schema.Array(MatchCriterion),
  merge: MergeMode,
  blank: BlankPolicy,
  country: Schema.String,
  delimiter: Delimiter,
  encoding: Encoding,
  mapping: Schema.Record(Schema.String, Schema.String),
  organizationKey: OrganizationKeyMode,
  unknownColumns: UnknownColumns,
  /** The largest file to read in bytes; larger ones fail with `FILE_TOO_LARGE` (default 2 GiB). */
  maxFileBytes: Schema.optionalKey(Schema.Int)
})
export type ImportSettings = typeof ImportSettings.Type

export const defaultImportSettings: ImportSettings = {
  source: "default",
  division: "unassigned",
  match: ["email", "phone"],
  merge: "update-first",
  blank: "ignore",
  country: "US",
  delimiter: "auto",
  encoding: "auto",
  mapping: {},
  organizationKey: "column",
  unknownColumns: "ignore"
}
