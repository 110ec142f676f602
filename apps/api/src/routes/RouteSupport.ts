import {
  cleanEmail,
  type ImportProfile,
  isEmail,
  normalizePhone,
  type Phone,
  parsePhoneCountry
} from "@xcontacts/domain"
import { Effect } from "effect"
import type { Context } from "hono"
import { listedDivisions, reachesDivision } from "../ApiKeyGrant.ts"
import { ApiProblem } from "../openapi/Operation.ts"
import type { ParameterSpec } from "../openapi/RouteRegistry.ts"

export const pagingParameters: ReadonlyArray<ParameterSpec> = [
  { name: "limit", in: "query", description: "Page size, 1 to 1000 (default 100)" },
  { name: "cursor", in: "query", description: "The nextCursor of the previous page" }
]

/**
 * `cursor` as given: the id of the last record of the previous page, so it starts with the
 * kind's prefix (`ct_`, `org_`). Fails with 422 otherwise: a made-up cursor would read as a last,
 * empty page.
 */
export const cursorOf = (
  value: string | undefined,
  prefix: string
): Effect.Effect<string | undefined, ApiProblem> =>
  value === undefined || (value.startsWith(prefix) && value.length > prefix.length)
    ? Effect.succeed(value)
    : Effect.fail(
        new ApiProblem({
          status: 422,
          type: "invalid-parameter",
          title: "cursor must be the nextCursor of a previous page",
          detail: `cursor=${value.slice(0, 40)}`
        })
      )

/** `limit` as given, 100 when absent; fails with 422 unless it is a whole number from 1 to 1000. */
export const limitOf = (value: string | undefined): Effect.Effect<number, ApiProblem> => {
  if (value === undefined) return Effect.succeed(100)
  const limit = /^\d{1,4}$/u.test(value) ? Number(value) : Number.NaN
  return limit >= 1 && limit <= 1000
    ? Effect.succeed(limit)
    : Effect.fail(
        new ApiProblem({
          status: 422,
          type: "invalid-parameter",
          title: "limit must be a whole number from 1 to 1000",
          detail: `limit=${value.slice(0, 40)}`
        })
      )
}

/**
 * A yes/no query parameter: absent is false, `true` or `false` as given; anything else fails
 * with 422, since `TRUE`, `1` or `yes` read as false would do the opposite of what was meant.
 */
export const flagOf = (name: string, value: string | undefined) =>
  value === undefined || value === "true" || value === "false"
    ? Effect.succeed(value === "true")
    : Effect.fail(
        new ApiProblem({
          status: 422,
          type: "invalid-parameter",
          title: `${name} must be true or false`,
          detail: `${name}=${value.slice(0, 40)}`
        })
      )

/** Cursor paging by id: the next page starts after the last id of a full page. */
export const pageOf = <A extends { readonly id: string }>(
  data: ReadonlyArray<A>,
  limit: number
) => ({
  data,
  nextCursor: data.length === limit ? data[data.length - 1]!.id : null
})

/** Fails with 403 when the request's API key is limited to other divisions. */
export const requireDivision = (context: Context, division: string) =>
  reachesDivision(context, division)
    ? Effect.void
    : Effect.fail(
        new ApiProblem({
          status: 403,
          type: "division-forbidden",
          title: "The API key does not reach this division",
          detail: `division "${division}"`
        })
      )

export const notFound = (kind: string, id: string) =>
  new ApiProblem({ status: 404, type: "not-found", title: "Not found", detail: `no ${kind} ${id}` })

/** The country national phone numbers are read in; 422 when it names none. */
export const phoneCountryOf = (given: string | undefined) => {
  const country = parsePhoneCountry(given ?? "US")
  return country === null
    ? Effect.fail(
        new ApiProblem({
          status: 422,
          type: "invalid-phone-country",
          title: "Unknown phone country",
          detail: `"${given}" is neither an ISO country nor a calling code`
        })
      )
    : Effect.succeed(country)
}

/**
 * Phone cells written by a person, read with the import's rules (spec §5): the raw text is
 * kept, the E.164 form is set when valid; a placeholder is blank.
 */
export const phonesOf = Effect.fnUntraced(function* <K extends string>(
  given: Partial<Record<K, string | null>>,
  fields: ReadonlyArray<K>,
  country: string | undefined
) {
  const phoneCountry = yield* phoneCountryOf(country)
  const phones: Partial<Record<K, Phone | null>> = {}
  for (const field of fields) {
    const raw = given[field]
    if (raw === undefined) continue
    phones[field] =
      raw === null || raw.trim() === "" ? null : normalizePhone(raw, phoneCountry).phone
  }
  return phones
})

/** Emails written by a person: trimmed, and 422 when one is not an email address. */
export const emailsOf = Effect.fnUntraced(function* <K extends string>(
  given: Partial<Record<K, string | null>>,
  fields: ReadonlyArray<K>
) {
  const emails: Partial<Record<K, string | null>> = {}
  for (const field of fields) {
    const raw = given[field]
    if (raw === undefined) continue
    const email = raw === null ? "" : cleanEmail(raw)
    if (email !== "" && !isEmail(email)) {
      return yield* new ApiProblem({
        status: 422,
        type: "invalid-email",
        title: "Not an email address",
        detail: `${field} is not an email address`
      })
    }
    emails[field] = email === "" ? null : email
  }
  return emails
})

/**
 * A profile that names a division belongs to it: a key limited to other divisions neither sees,
 * replaces nor deletes it. A profile without one is shared.
 */
export const reachesProfile = (context: Context, profile: ImportProfile) =>
  profile.settings.division === undefined || reachesDivision(context, profile.settings.division)

export const requireProfile = (context: Context, profile: ImportProfile) =>
  profile.settings.division === undefined
    ? Effect.void
    : requireDivision(context, profile.settings.division)

/**
 * Saving, replacing or deleting a profile of `division`: a shared profile (no division) is used
 * by every division, so only a key that reaches them all may change it.
 */
export const requireProfileChange = (context: Context, division: string | undefined) =>
  division !== undefined
    ? requireDivision(context, division)
    : listedDivisions(context) === undefined
      ? Effect.void
      : Effect.fail(
          new ApiProblem({
            status: 403,
            type: "division-forbidden",
            title: "The API key does not reach every division",
            detail:
              "a profile without a division is shared by every division; a key limited to " +
              "divisions saves and deletes only profiles that name one of them"
          })
        )
