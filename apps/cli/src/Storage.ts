import { resolve } from "node:path"
import type { DatabaseTarget } from "@xcontacts/db"
import { Config, Effect, Option } from "effect"

/**
 * Where this process keeps its data: `DATABASE_URL` selects PostgreSQL; otherwise the embedded
 * store in `--data-dir`, `XCONTACTS_DATA_DIR` or `./.xcontacts`, created when missing.
 */
export const storageTarget = Effect.fnUntraced(function* (dataDir: Option.Option<string>) {
  const url = yield* Config.option(Config.String("DATABASE_URL"))
  if (Option.isSome(url) && url.value.trim() !== "") {
    return { _tag: "Postgres", url: url.value } satisfies DatabaseTarget
  }
  const fromEnv = yield* Config.option(Config.String("XCONTACTS_DATA_DIR"))
  const folder = Option.getOrElse(
    Option.orElse(dataDir, () => fromEnv),
    () => ".xcontacts"
  )
  return { _tag: "Pglite", dataDir: resolve(folder) } satisfies DatabaseTarget
})
