import { ExternalSourceStore, type NamedEntity } from "@xcontacts/domain"
import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import { json } from "../CommonFlags.ts"
import { withStores } from "../Root.ts"

const print = (entities: ReadonlyArray<NamedEntity>, asJson: boolean) =>
  asJson
    ? Console.log(JSON.stringify(entities))
    : Effect.forEach(entities, (entity) => Console.log(`${entity.name}\t${entity.createdAt}`), {
        discard: true
      })

/** `xcontacts sources list`: the external sources, created on first use. */
export const sourcesCommand = Command.make("sources").pipe(
  Command.withDescription("External sources: namespaces of External IDs"),
  Command.withSubcommands([
    Command.make(
      "list",
      { json },
      Effect.fn("SourcesList")(function* (input) {
        const sources = yield* withStores(ExternalSourceStore.use((store) => store.sources()))
        yield* print(sources, input.json)
      })
    ).pipe(Command.withDescription("List the external sources"))
  ])
)

/** `xcontacts divisions list`: the divisions, created on first use. */
export const divisionsCommand = Command.make("divisions").pipe(
  Command.withDescription("Divisions: partitions that matching never crosses"),
  Command.withSubcommands([
    Command.make(
      "list",
      { json },
      Effect.fn("DivisionsList")(function* (input) {
        const divisions = yield* withStores(ExternalSourceStore.use((store) => store.divisions()))
        yield* print(divisions, input.json)
      })
    ).pipe(Command.withDescription("List the divisions"))
  ])
)
