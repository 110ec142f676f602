import { Schema } from "effect"

/**
 * An API key as stored: never the key itself, only its SHA-256 hash. A key with divisions may
 * only read and write records of those divisions; one without divisions reaches them all.
 */
export const ApiKey = Schema.Struct({
  id: Schema.String,
  name: Schema.NullOr(Schema.String),
  divisions: Schema.Array(Schema.String),
  createdAt: Schema.String,
  revokedAt: Schema.NullOr(Schema.String)
})
export type ApiKey = typeof ApiKey.Type

/** Whether a key limited to `divisions` (none: every division) may touch `division`. */
export const keyReachesDivision = (divisions: ReadonlyArray<string>, division: string) =>
  divisions.length === 0 || divisions.includes(division)
