import { storesLayer } from "@xcontacts/db"
import { IdGenerator } from "@xcontacts/domain"
import { Effect, Layer, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { jobFilesFolder, storageTarget } from "./Storage.ts"

/** The `xcontacts` root command and the flags every subcommand shares. */
export const root = Command.make("xcontacts").pipe(
  Command.withSharedFlags({
    dataDir: Flag.String("data-dir").pipe(
      Flag.withDescription(
        "Folder of the embedded database and of the job files (uploads/) (default: " +
          "$XCONTACTS_DATA_DIR or ./.xcontacts); with DATABASE_URL set, of the job files only"
      ),
      Flag.optional
    )
  }),
  Command.withDescription("Import contacts and organizations from CSV files, and read them back.")
)

/**
 * Runs a command's work with the configured store open, and closes it afterwards. Deleted jobs'
 * copies are removed from the job files' folder (`serve` uses its own: its `--upload-dir`).
 */
export const withStores = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const flags = yield* root
    const target = yield* storageTarget(flags.dataDir)
    const folder = yield* jobFilesFolder(Option.none(), flags.dataDir)
    return yield* effect.pipe(
      Effect.provide(Layer.merge(storesLayer(target, folder), IdGenerator.layer))
    )
  })
