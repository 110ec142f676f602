import {
  defaultImportSettings,
  mappingFromEntries,
  type ProfileSettings,
  readSetting,
  type settingRules
} from "@xcontacts/domain"
import { Option, Result } from "effect"
import { Flag } from "effect/cli"

/**
 * Reads a flag's value by the rule of its setting, the one the API and profiles follow; a value
 * the rule refuses is a usage error that names the flag.
 */
export const bySettingRule =
  <K extends keyof typeof settingRules>(flag: string, key: K) =>
  (given: unknown): (typeof settingRules)[K]["Type"] => {
    const read = readSetting(key, given)
    if (Result.isFailure(read)) throw new Error(`--${flag}: ${read.failure}`)
    return read.success
  }

export const usageMessage = (error: unknown) => String((error as Error).message)

/** `--division D` of a record made by hand: checked as the import's, `unassigned` by default. */
export const recordDivision = (description: string) =>
  Flag.String("division").pipe(
    Flag.withDescription(description),
    Flag.mapTryCatch(bySettingRule("division", "division"), usageMessage),
    Flag.withDefault(defaultImportSettings.division)
  )

/** `--division D`, repeatable: divisions checked as the import's, none by default. */
export const divisionList = (description: string) =>
  Flag.String("division").pipe(
    Flag.withDescription(description),
    Flag.atLeast(0),
    Flag.mapTryCatch(
      (divisions) => divisions.map(bySettingRule("division", "division")),
      usageMessage
    )
  )

const parseMatch = (value: string) =>
  bySettingRule(
    "match",
    "match"
  )(
    value
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "")
  )

const parseMapping = (entries: ReadonlyArray<string>) => {
  const mapping = mappingFromEntries(entries)
  if (Result.isFailure(mapping)) throw new Error(`--map: ${mapping.failure}`)
  return bySettingRule("map", "mapping")(mapping.success)
}

/**
 * The import settings as flags, shared by `import` and `profiles create`. Every flag is optional:
 * what is not given comes from the profile or the defaults.
 */
export const settingsFlags = {
  source: Flag.String("source").pipe(
    Flag.withDescription("External source the External IDs belong to (default: default)"),
    Flag.mapTryCatch(bySettingRule("source", "source"), usageMessage),
    Flag.optional
  ),
  division: Flag.String("division").pipe(
    Flag.withDescription("Division to import into (default: unassigned)"),
    Flag.mapTryCatch(bySettingRule("division", "division"), usageMessage),
    Flag.optional
  ),
  match: Flag.String("match").pipe(
    Flag.withDescription("Ordered match criteria for legacy contacts: email,phone ('' disables)"),
    Flag.mapTryCatch(parseMatch, usageMessage),
    Flag.optional
  ),
  merge: Flag.Literals("merge", ["update-first", "merge-all", "reject"]).pipe(
    Flag.withDescription("What to do when several legacy contacts match (default: update-first)"),
    Flag.optional
  ),
  blank: Flag.Literals("blank", ["ignore", "clear"]).pipe(
    Flag.withDescription("Whether blank cells erase stored values (default: ignore)"),
    Flag.optional
  ),
  country: Flag.String("country").pipe(
    Flag.withDescription("Phone country for numbers written without one (default: US)"),
    Flag.mapTryCatch(bySettingRule("country", "country"), usageMessage),
    Flag.optional
  ),
  delimiter: Flag.Literals("delimiter", ["auto", ",", ";", "tab", "pipe"]).pipe(
    Flag.withDescription("Field delimiter (default: auto, detected from the header line)"),
    Flag.optional
  ),
  encoding: Flag.Literals("encoding", [
    "auto",
    "utf-8",
    "utf-16le",
    "utf-16be",
    "windows-1252"
  ]).pipe(
    Flag.withDescription("Text encoding (default: auto: UTF-8, or UTF-16 by its BOM)"),
    Flag.optional
  ),
  map: Flag.String("map").pipe(
    Flag.withDescription(
      'Map a CSV header to a column: "CSV header=Canonical Header" (repeatable); a header ' +
        "the file does not have fails it (MAPPED_HEADER_MISSING)"
    ),
    Flag.atLeast(0),
    Flag.mapTryCatch(parseMapping, usageMessage)
  ),
  orgKey: Flag.Literals("org-key", ["column", "name"]).pipe(
    Flag.withDescription("Key organizations by a key column or by their name (default: column)"),
    Flag.optional
  ),
  maxFileMb: Flag.Int("max-file-mb").pipe(
    Flag.withDescription("Reject files larger than this many MiB (default: 2048)"),
    Flag.mapTryCatch(
      (mb) => bySettingRule("max-file-mb", "maxFileBytes")(mb * 1024 * 1024),
      usageMessage
    ),
    Flag.optional
  ),
  unknownColumns: Flag.Literals("unknown-columns", ["ignore", "keep"]).pipe(
    Flag.withDescription("Ignore unknown columns or keep them as custom fields (default: ignore)"),
    Flag.optional
  )
}

type SettingsInput = {
  readonly [K in keyof typeof settingsFlags]: (typeof settingsFlags)[K] extends Flag.Flag<infer A>
    ? A
    : never
}

/** The settings the flags of one command line give, and nothing else. */
export const givenSettings = (input: SettingsInput): ProfileSettings => {
  const settings: Record<string, unknown> = {}
  const put = <A>(key: keyof ProfileSettings, value: Option.Option<A>) => {
    if (Option.isSome(value)) settings[key] = value.value
  }
  put("source", input.source)
  put("division", input.division)
  put("match", input.match)
  put("merge", input.merge)
  put("blank", input.blank)
  put("country", input.country)
  put("delimiter", input.delimiter)
  put("encoding", input.encoding)
  put("organizationKey", input.orgKey)
  put("unknownColumns", input.unknownColumns)
  put("maxFileBytes", input.maxFileMb)
  if (Object.keys(input.map).length > 0) settings["mapping"] = input.map
  return settings as ProfileSettings
}
