import { Result, Schema, SchemaTransformation } from "effect"
import { isMappingTarget, mappingHeaderKey } from "./csv/HeaderMap.ts"
import { withoutControlCharacters } from "./ExternalId.ts"
import {
  BlankPolicy,
  Delimiter,
  Encoding,
  ImportSettings,
  MatchCriterion,
  MergeMode,
  OrganizationKeyMode,
  UnknownColumns
} from "./ImportSettings.ts"
import { parsePhoneCountry } from "./PhoneCountry.ts"

/** The settings a profile fixes; whatever it leaves out comes from the defaults or the flags. */
export const ProfileSettings = ImportSettings.mapFields(
  (fields) =>
    Object.fromEntries(
      Object.entries(fields).map(([key, schema]) => [key, Schema.optionalKey(schema)])
    ) as { [K in keyof typeof fields]: Schema.optionalKey<(typeof fields)[K]> }
)
export type ProfileSettings = typeof ProfileSettings.Type

/** The longest name of an external source, a division or a profile. */
export const SETTING_NAME_MAX_LENGTH = 100

const trimmed = <S extends Schema.Top & { readonly Type: string; readonly Encoded: string }>(
  from: S
) => from.pipe(Schema.decodeTo(Schema.String, SchemaTransformation.trim()))

/**
 * The name of an external source or a division: not blank, at most 100 characters, and
 * trimmed as External IDs are, so that " erp" and "erp" are one source.
 */
export const SettingName = trimmed(
  Schema.String.annotate({
    description: "Not blank, at most 100 characters; surrounding spaces are removed"
  }).check(
    Schema.isPattern(/\S/u, { message: "a name must not be blank" }),
    Schema.isMaxLength(SETTING_NAME_MAX_LENGTH, {
      message: `a name is at most ${SETTING_NAME_MAX_LENGTH} characters`
    }),
    // A source is part of every key it names (`source:externalId`), a division of every record.
    withoutControlCharacters("a name holds no control characters; this one has")
  )
)

/**
 * A profile's name: letters, digits, spaces, `-`, `_` and `.`, starting and ending with one
 * that is not a space, at most 100 characters; surrounding spaces are removed.
 */
export const ProfileName = trimmed(
  Schema.String.annotate({
    description: "Letters, digits, spaces, '-', '_' and '.'; surrounding spaces are removed"
  }).check(
    Schema.isPattern(/^\s*[\p{L}\p{N}_.-](?:[\p{L}\p{N} _.-]*[\p{L}\p{N}_.-])?\s*$/u, {
      message: "a profile name is letters, digits, spaces, '-', '_' and '.', and not blank"
    }),
    // "." and ".." could never be read back: a URL's dot segments are resolved away.
    Schema.isPattern(/[\p{L}\p{N}_-]/u, {
      message: "a profile name holds a letter, a digit, '-' or '_', not only dots"
    })
  )
).check(
  Schema.isMaxLength(SETTING_NAME_MAX_LENGTH, {
    message: `a profile name is at most ${SETTING_NAME_MAX_LENGTH} characters`
  })
)

const PhoneCountrySetting = Schema.String.annotate({
  description: "An ISO 3166 country (GB) or a calling code (44)"
})
  .check(
    Schema.makeFilter((value: string) =>
      parsePhoneCountry(value) === null
        ? `"${value}" is not a country (GB) or a calling code (44)`
        : true
    )
  )
  .pipe(
    Schema.decodeTo(
      Schema.String,
      SchemaTransformation.transform({
        decode: (value: string) => value.trim().toUpperCase(),
        encode: (value: string) => value
      })
    )
  )

const MappingTarget = Schema.String.annotate({
  description: "A canonical header (Work Email) or custom.<name>"
})
  .check(
    Schema.makeFilter((value: string) =>
      isMappingTarget(value.trim())
        ? true
        : `"${value.trim()}" is not a column; name a canonical header or custom.<name>`
    )
  )
  .pipe(Schema.decodeTo(Schema.String, SchemaTransformation.trim()))

/**
 * A mapping written as `CSV header=Canonical Header` entries (a flag or query parameter given
 * several times), or why it cannot be one: an entry without `=`, or a header mapped twice (in
 * any spelling the header match treats as the same), which would otherwise keep only the last.
 */
export const mappingFromEntries = (
  entries: ReadonlyArray<string>
): Result.Result<Record<string, string>, string> => {
  const mapping: Record<string, string> = {}
  const headers: Array<string> = []
  for (const entry of entries) {
    const at = entry.lastIndexOf("=")
    if (at <= 0) return Result.fail(`"${entry}" is not "CSV header=Canonical Header"`)
    const header = entry.slice(0, at).trim()
    const earlier = sameHeaderAs(headers, header)
    if (earlier !== undefined) {
      return Result.fail(
        `"${header}" is mapped twice ("${earlier}=…" and "${entry}"); map each header once`
      )
    }
    headers.push(header)
    mapping[header] = entry.slice(at + 1)
  }
  return Result.succeed(mapping)
}

/** The first of `headers` that names `header` too (`Last Name`, `last name `). */
const sameHeaderAs = (headers: ReadonlyArray<string>, header: string): string | undefined =>
  headers.find((earlier) => mappingHeaderKey(earlier) === mappingHeaderKey(header))

/**
 * The rules of every setting, as a person gives it in a profile, a query parameter or a flag:
 * the one place that says which values a setting takes.
 */
export const settingRules = {
  source: SettingName,
  division: SettingName,
  match: Schema.Array(MatchCriterion),
  merge: MergeMode,
  blank: BlankPolicy,
  country: PhoneCountrySetting,
  delimiter: Delimiter,
  encoding: Encoding,
  mapping: Schema.Record(Schema.String, MappingTarget).check(
    // Two keys that differ only in case or surrounding spaces would map one column twice.
    Schema.makeFilter((mapping: Readonly<Record<string, string>>) => {
      const headers = Object.keys(mapping)
      for (const [index, header] of headers.entries()) {
        const earlier = sameHeaderAs(headers.slice(0, index), header)
        if (earlier !== undefined) {
          return `"${earlier}" and "${header}" name the same header; map each header once`
        }
      }
      return undefined
    })
  ),
  organizationKey: OrganizationKeyMode,
  unknownColumns: UnknownColumns,
  maxFileBytes: Schema.Int.check(
    Schema.isGreaterThan(0, { message: "the largest file is a whole number of bytes above 0" })
  )
} satisfies { readonly [K in keyof ProfileSettings]-?: Schema.Top }

/** Profile settings as they are given: each one checked and normalized by its rule. */
export const ProfileSettingsInput = Schema.Struct({
  source: Schema.optionalKey(settingRules.source),
  division: Schema.optionalKey(settingRules.division),
  match: Schema.optionalKey(settingRules.match),
  merge: Schema.optionalKey(settingRules.merge),
  blank: Schema.optionalKey(settingRules.blank),
  country: Schema.optionalKey(settingRules.country),
  delimiter: Schema.optionalKey(settingRules.delimiter),
  encoding: Schema.optionalKey(settingRules.encoding),
  mapping: Schema.optionalKey(settingRules.mapping),
  organizationKey: Schema.optionalKey(settingRules.organizationKey),
  unknownColumns: Schema.optionalKey(settingRules.unknownColumns),
  maxFileBytes: Schema.optionalKey(settingRules.maxFileBytes)
})

type SettingValue<K extends keyof typeof settingRules> = (typeof settingRules)[K]["Type"]

/**
 * Reads one setting as a person gave it: the value to keep (trimmed, upper-cased for a country)
 * or the reason it is refused, in words for that person.
 */
export const readSetting = <K extends keyof typeof settingRules>(
  key: K,
  given: unknown
): Result.Result<SettingValue<K>, string> =>
  Result.mapError(
    Schema.decodeUnknownResult(settingRules[key] as unknown as Schema.Decoder<SettingValue<K>>)(
      given
    ),
    (error) => error.message
  )

/**
 * Reads a name given for an external source or a division (an import's, a record's, an API
 * key's): the trimmed name, or why it is refused.
 */
export const readSettingName = (given: string): Result.Result<string, string> =>
  readSetting("division", given)

/** Reads a profile's name as a person gave it: the trimmed name, or why it is refused. */
export const readProfileName = (given: string): Result.Result<string, string> =>
  Result.mapError(Schema.decodeUnknownResult(ProfileName)(given), (error) => error.message)

/** Named, saved import settings, so that a weekly import runs the same way every week. */
export const ImportProfile = Schema.Struct({
  name: Schema.String.pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(100))),
  settings: ProfileSettings,
  createdAt: Schema.String,
  updatedAt: Schema.String
})
export type ImportProfile = typeof ImportProfile.Type

/**
 * The settings of one import: the defaults, then the profile's, then those given for this run;
 * a later layer wins where it says something. Mappings add up header by header: a run's
 * `--map` adds to its profile's mapping, and replaces only the entry for the same header (case
 * and surrounding spaces aside).
 */
export const resolveSettings = (
  defaults: ImportSettings,
  ...layers: ReadonlyArray<ProfileSettings>
): ImportSettings => {
  let settings: ImportSettings = defaults
  for (const layer of layers) {
    const given = Object.fromEntries(
      Object.entries(layer).filter(([, value]) => value !== undefined)
    )
    const mapping =
      layer.mapping === undefined ? settings.mapping : addMapping(settings.mapping, layer.mapping)
    settings = { ...settings, ...given, mapping }
  }
  return settings
}

const addMapping = (
  base: Readonly<Record<string, string>>,
  added: Readonly<Record<string, string>>
): Record<string, string> => {
  const replaced = new Set(Object.keys(added).map(mappingHeaderKey))
  return {
    ...Object.fromEntries(
      Object.entries(base).filter(([header]) => !replaced.has(mappingHeaderKey(header)))
    ),
    ...added
  }
}
