import {
  BlankPolicy,
  Delimiter,
  defaultImportSettings,
  Encoding,
  ImportProfileStore,
  type ImportSettings,
  isMappingTarget,
  MatchCriterion,
  MergeMode,
  OrganizationKeyMode,
  type ProfileSettings,
  parsePhoneCountry,
  resolveSettings,
  UnknownColumns
} from "@xcontacts/domain"
import { Effect, Option } from "effect"
import { ApiProblem } from "../openapi/Operation.ts"
import type { ParameterSpec } from "../openapi/RouteRegistry.ts"

/** The import's settings as query parameters; each overrides the profile's, if one is named. */
export const importSettingsParameters: ReadonlyArray<ParameterSpec> = [
  ["profile", "A saved import profile to start from; the other parameters override it"],
  ["source", "External source the External IDs belong to (default: default)"],
  ["division", "Division to import into (default: unassigned)"],
  ["match", "Ordered legacy match criteria: email,phone (empty disables matching)"],
  ["merge", "update-first, merge-all or reject (default: update-first)"],
  ["blank", "ignore or clear: whether blank cells erase stored values (default: ignore)"],
  ["country", "Phone country of numbers written without one (default: US)"],
  ["delimiter", "auto, ',', ';', tab or pipe (default: auto)"],
  ["encoding", "auto, utf-8, utf-16le, utf-16be or windows-1252 (default: auto)"],
  [
    "map",
    "Map a CSV header to a column: 'CSV header=Canonical Header' (repeatable); a header the " +
      "file does not have fails the job (MAPPED_HEADER_MISSING)"
  ],
  ["orgKey", "Key organizations by a key column or by name: column or name (default: column)"],
  ["unknownColumns", "ignore or keep columns the import does not know (default: ignore)"]
].map(([name, description]) => ({ name: name!, in: "query" as const, description: description! }))

const invalid = (name: string, detail: string) =>
  new ApiProblem({
    status: 422,
    type: "invalid-setting",
    title: `The ${name} parameter is not valid`,
    detail
  })

const literal = <T extends string>(
  name: string,
  value: string | undefined,
  allowed: ReadonlyArray<T>
): Effect.Effect<T | undefined, ApiProblem> =>
  value === undefined
    ? Effect.succeed(undefined)
    : allowed.includes(value as T)
      ? Effect.succeed(value as T)
      : Effect.fail(invalid(name, `"${value}" is none of ${allowed.join(", ")}`))

/** The settings the query gives, each absent one left to the profile or the defaults. */
export const querySettings = Effect.fnUntraced(function* (
  query: (name: string) => string | undefined,
  queries: (name: string) => ReadonlyArray<string>
) {
  const given: { -readonly [K in keyof ProfileSettings]?: ProfileSettings[K] | undefined } = {}
  const match = query("match")
  if (match !== undefined) {
    const parts = match
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "")
    for (const part of parts) yield* literal("match", part, MatchCriterion.literals)
    given.match = parts as Array<MatchCriterion>
  }
  const source = query("source")
  if (source !== undefined) given.source = source
  const division = query("division")
  if (division !== undefined) given.division = division
  const country = query("country")
  if (country !== undefined) {
    if (parsePhoneCountry(country) === null) {
      return yield* invalid("country", `"${country}" is not a country (GB) or a calling code (44)`)
    }
    given.country = country.trim().toUpperCase()
  }
  given.merge = yield* literal("merge", query("merge"), MergeMode.literals)
  given.blank = yield* literal("blank", query("blank"), BlankPolicy.literals)
  given.delimiter = yield* literal("delimiter", query("delimiter"), Delimiter.literals)
  given.encoding = yield* literal("encoding", query("encoding"), Encoding.literals)
  given.organizationKey = yield* literal("orgKey", query("orgKey"), OrganizationKeyMode.literals)
  given.unknownColumns = yield* literal(
    "unknownColumns",
    query("unknownColumns"),
    UnknownColumns.literals
  )
  const maps = queries("map")
  if (maps.length > 0) {
    const mapping: Record<string, string> = {}
    for (const entry of maps) {
      const at = entry.lastIndexOf("=")
      if (at <= 0) return yield* invalid("map", `"${entry}" is not "CSV header=Canonical Header"`)
      const target = entry.slice(at + 1).trim()
      if (!isMappingTarget(target)) {
        return yield* invalid(
          "map",
          `"${target}" is not a column; name a canonical header or custom.<name>`
        )
      }
      mapping[entry.slice(0, at).trim()] = target
    }
    given.mapping = mapping
  }
  return given as ProfileSettings
})

/**
 * The settings of an import asked for by query parameters: the defaults, then the named
 * profile's, then the query's own. Fails with 404 for an unknown profile and 422 for a value
 * the setting does not take.
 */
export const importSettingsOf = Effect.fnUntraced(function* (
  query: (name: string) => string | undefined,
  queries: (name: string) => ReadonlyArray<string>
) {
  const given = yield* querySettings(query, queries)
  const name = query("profile")
  if (name === undefined) return resolveSettings(defaultImportSettings, given)
  const profile = yield* ImportProfileStore.use((profiles) => profiles.get(name))
  if (Option.isNone(profile)) {
    return yield* new ApiProblem({
      status: 404,
      type: "profile-not-found",
      title: "No such import profile",
      detail: `profile "${name}"`
    })
  }
  return resolveSettings(defaultImportSettings, profile.value.settings, given) as ImportSettings
})
