import { Flag } from "effect/cli"

/** `--json`: print JSON instead of lines for people. */
export const json = Flag.Boolean("json").pipe(
  Flag.withDescription("Print JSON"),
  Flag.withDefault(false)
)

/** `--limit N` on listings that otherwise print every record. */
export const limit = Flag.Int("limit").pipe(
  Flag.withDescription("Print at most N records"),
  Flag.optional
)
