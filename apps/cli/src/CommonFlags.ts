import { Flag } from "effect/cli"

/** `--json`: print JSON instead of lines for people. */
export const json = Flag.Boolean("json").pipe(
  Flag.withDescription("Print JSON"),
  Flag.withDefault(false)
)

/** Refuses a count below 1 (a usage error): `--limit 0` would print nothing, as an empty store. */
export const atLeastOne = (name: string) =>
  Flag.filter(
    (count: number) => count >= 1,
    (count) => `--${name} must be 1 or more, not ${count}`
  )

/** `--limit N` on listings that otherwise print every record. */
export const limit = Flag.Int("limit").pipe(
  Flag.withDescription("Print at most N records"),
  atLeastOne("limit"),
  Flag.optional
)
