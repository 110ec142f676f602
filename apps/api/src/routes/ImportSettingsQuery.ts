import {
  defaultImportSettings,
  type ImportProfile,
  ImportProfileStore,
  type ImportSettings,
  mappingFromEntries,
  type ProfileSettings,
  readSetting,
  resolveSettings,
  settingRules
} from "@xcontacts/domain"
import { Effect, Option, Result } from "effect"
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
].map(([name, description]) => ({
  name: name!,
  in: "query" as const,
  description: description!,
  ...(name === "map" ? { repeatable: true } : {})
}))

const invalid = (name: string, detail: string) =>
  new ApiProblem({
    status: 422,
    type: "invalid-setting",
    title: `The ${name} parameter is not valid`,
    detail
  })

/** Each setting's query parameter, where its name differs. */
const parameterOf: Partial<Record<keyof typeof settingRules, string>> = {
  organizationKey: "orgKey",
  mapping: "map"
}

const mappingOf = (entries: ReadonlyArray<string>) => {
  const mapping = mappingFromEntries(entries)
  return Result.isFailure(mapping)
    ? Effect.fail(invalid("map", mapping.failure))
    : Effect.succeed(mapping.success)
}

/**
 * The settings the query gives, each absent one left to the profile or the defaults; each
 * read by the rule a profile's setting follows, 422 `invalid-setting` when it breaks it.
 */
export const querySettings = Effect.fnUntraced(function* (
  query: (name: string) => string | undefined,
  queries: (name: string) => ReadonlyArray<string>
) {
  const raw: { -readonly [K in keyof typeof settingRules]?: unknown } = {}
  for (const key of Object.keys(settingRules) as Array<keyof typeof settingRules>) {
    if (key === "mapping" || key === "maxFileBytes") continue
    const value = query(parameterOf[key] ?? key)
    if (value === undefined) continue
    raw[key] =
      key === "match"
        ? value
            .split(",")
            .map((part) => part.trim())
            .filter((part) => part !== "")
        : value
  }
  const maps = queries("map")
  if (maps.length > 0) raw.mapping = yield* mappingOf(maps)

  const given: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw) as Array<[keyof typeof settingRules, unknown]>) {
    const read = readSetting(key, value)
    if (Result.isFailure(read)) return yield* invalid(parameterOf[key] ?? key, read.failure)
    given[key] = read.success
  }
  return given as ProfileSettings
})

/**
 * The settings of an import asked for by query parameters: the defaults, then the named
 * profile's, then the query's own. Fails with 404 for an unknown profile, with what `admit`
 * fails with for a profile the caller may not use (whatever the query overrides), and 422 for a
 * value the setting does not take.
 */
export const importSettingsOf = Effect.fnUntraced(function* (
  query: (name: string) => string | undefined,
  queries: (name: string) => ReadonlyArray<string>,
  admit: (profile: ImportProfile) => Effect.Effect<void, ApiProblem> = () => Effect.void
) {
  const given = yield* querySettings(query, queries)
  const name = query("profile")
  if (name === undefined) return resolveSettings(defaultImportSettings, given)
  // Names are saved trimmed, and looked up so.
  const profile = yield* ImportProfileStore.use((profiles) => profiles.get(name.trim()))
  if (Option.isNone(profile)) {
    return yield* new ApiProblem({
      status: 404,
      type: "profile-not-found",
      title: "No such import profile",
      detail: `profile "${name}"`
    })
  }
  yield* admit(profile.value)
  return resolveSettings(defaultImportSettings, profile.value.settings, given) as ImportSettings
})
