import { join, resolve } from "node:path"
import { serveApi } from "@xcontacts/api"
import { Config, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { root, withStores } from "../Root.ts"

/**
 * Where uploads are kept while their jobs need them: the flag, `XCONTACTS_UPLOAD_DIR`, or
 * `uploads/` in the data folder, so that they live beside the data they become and not in a
 * folder shared by every user of the machine.
 */
const uploadFolder = Effect.fnUntraced(function* (flag: Option.Option<string>) {
  if (Option.isSome(flag)) return resolve(flag.value)
  const fromEnv = yield* Config.option(Config.String("XCONTACTS_UPLOAD_DIR"))
  if (Option.isSome(fromEnv)) return resolve(fromEnv.value)
  const flags = yield* root
  const dataDir = yield* Config.option(Config.String("XCONTACTS_DATA_DIR"))
  const folder = Option.getOrElse(
    Option.orElse(flags.dataDir, () => dataDir),
    () => ".xcontacts"
  )
  return join(resolve(folder), "uploads")
})

export const serveCommand = Command.make(
  "serve",
  {
    port: Flag.Int("port").pipe(Flag.withDescription("Port to listen on"), Flag.withDefault(8080)),
    uploadDir: Flag.String("upload-dir").pipe(
      Flag.withDescription(
        "Folder for uploaded files (default: $XCONTACTS_UPLOAD_DIR, or uploads/ in the data folder)"
      ),
      Flag.optional
    ),
    maxBodyMb: Flag.Int("max-body-mb").pipe(
      Flag.withDescription("Largest request body, CSV uploads included, in MiB (default 100)"),
      Flag.withDefault(100)
    )
  },
  Effect.fn("ServeCommand")(function* (input) {
    const uploadDir = yield* uploadFolder(input.uploadDir)
    yield* withStores(
      Effect.gen(function* () {
        const port = yield* serveApi(input.port, {
          uploadDir,
          maxBodyBytes: input.maxBodyMb * 1024 * 1024
        })
        yield* Effect.logInfo("listening").pipe(
          Effect.annotateLogs({ url: `http://127.0.0.1:${port}` })
        )
        return yield* Effect.never
      }).pipe(Effect.scoped)
    )
  })
).pipe(Command.withDescription("Serve the HTTP API on the configured store"))
