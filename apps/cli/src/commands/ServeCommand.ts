import { serveApi } from "@xcontacts/api"
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { CommandFailed } from "../CommandFailed.ts"
import { ExitCode } from "../ExitCode.ts"
import { root, withStores } from "../Root.ts"
import { jobFilesFolder } from "../Storage.ts"

export const serveCommand = Command.make(
  "serve",
  {
    port: Flag.Int("port").pipe(
      Flag.withDescription("Port to listen on, 0 to 65535 (0: any free port, logged)"),
      Flag.filter(
        (port: number) => port >= 0 && port <= 65_535,
        (port) => `--port must be from 0 to 65535, not ${port}`
      ),
      Flag.withDefault(8080)
    ),
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
    const uploadDir = yield* jobFilesFolder(input.uploadDir, (yield* root).dataDir)
    yield* withStores(
      Effect.gen(function* () {
        const port = yield* serveApi(input.port, {
          uploadDir,
          maxBodyBytes: input.maxBodyMb * 1024 * 1024
        }).pipe(
          Effect.catchTag(
            "ServerNotListening",
            (error) => new CommandFailed({ message: error.message, exitCode: ExitCode.failure })
          )
        )
        yield* Effect.logInfo("listening").pipe(
          Effect.annotateLogs({ url: `http://127.0.0.1:${port}` })
        )
        return yield* Effect.never
      }).pipe(Effect.scoped)
    )
  })
).pipe(Command.withDescription("Serve the HTTP API on the configured store"))
