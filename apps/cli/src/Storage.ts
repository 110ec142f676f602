import { join, resolve } from "node:path"
import type { DatabaseTarget } from "@xcontacts/db"
import { Config, Effect, Option } from "effect"
import { CommandFailed } from "./CommandFailed.ts"
import { ExitCode } from "./ExitCode.ts"

/** The data folder: `--data-dir`, `XCONTACTS_DATA_DIR` or `./.xcontacts`. */
const dataFolder = Effect.fnUntraced(function* (dataDir: Option.Option<string>) {
  const fromEnv = yield* Config.option(Config.String("XCONTACTS_DATA_DIR"))
  return resolve(
    Option.getOrElse(
      Option.orElse(dataDir, () => fromEnv),
      () => ".xcontacts"
    )
  )
})

/**
 * Where this process keeps its data: `DATABASE_URL` selects PostgreSQL; otherwise the embedded
 * store in the data folder, created when missing.
 */
export const storageTarget = Effect.fnUntraced(function* (dataDir: Option.Option<string>) {
  const url = yield* Config.option(Config.String("DATABASE_URL"))
  if (Option.isSome(url) && url.value.trim() !== "") {
    if (!/^postgres(ql)?:\/\/./u.test(url.value.trim()) || !URL.canParse(url.value.trim())) {
      return yield* new CommandFailed({
        message:
          "DATABASE_URL is not a PostgreSQL URL (postgres://user@host:port/database); " +
          "unset it to use the embedded store",
        exitCode: ExitCode.usage
      })
    }
    return { _tag: "Postgres", url: url.value } satisfies DatabaseTarget
  }
  return { _tag: "Pglite", dataDir: yield* dataFolder(dataDir) } satisfies DatabaseTarget
})

/**
 * Where jobs keep their files (the server's uploads, the CLI's copies of imported files), which
 * their reports, resumes and retries read: `--upload-dir` where a command has it,
 * `XCONTACTS_UPLOAD_DIR`, or `uploads/` in the data folder, beside the data they become and not
 * in a folder shared by every user of the machine.
 */
export const jobFilesFolder = Effect.fnUntraced(function* (
  flag: Option.Option<string>,
  dataDir: Option.Option<string>
) {
  if (Option.isSome(flag)) return resolve(flag.value)
  const fromEnv = yield* Config.option(Config.String("XCONTACTS_UPLOAD_DIR"))
  if (Option.isSome(fromEnv)) return resolve(fromEnv.value)
  return join(yield* dataFolder(dataDir), "uploads")
})
