import { Database } from "@xcontacts/db"
import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { withStores } from "../Root.ts"

const migrate = Command.make(
  "migrate",
  {
    json: Flag.Boolean("json").pipe(
      Flag.withDescription("Print one JSON object on stdout"),
      Flag.withDefault(false)
    )
  },
  Effect.fn("DbMigrate")(function* (input) {
    // Opening the store applies pending migrations, under a lock on PostgreSQL; this command
    // only opens it, so it is safe to run twice or from two processes at once.
    const { kind, migrations } = yield* withStores(
      Effect.gen(function* () {
        const database = yield* Database
        return { kind: database.kind, migrations: yield* database.appliedMigrations }
      })
    )
    yield* Console.log(
      input.json
        ? JSON.stringify({ store: kind, migrations, state: "migrated" })
        : `${kind} store migrated: ${migrations} migrations applied`
    )
  })
).pipe(Command.withDescription("Apply pending migrations to the configured store and exit"))

/** `xcontacts db`: operations on the store itself. */
export const dbCommand = Command.make("db").pipe(
  Command.withDescription("Manage the store"),
  Command.withSubcommands([migrate])
)
