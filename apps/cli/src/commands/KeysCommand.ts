import { createApiKey } from "@xcontacts/api"
import { type ApiKey, ApiKeyStore } from "@xcontacts/domain"
import { Console, DateTime, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { CommandFailed } from "../CommandFailed.ts"
import { json } from "../CommonFlags.ts"
import { ExitCode } from "../ExitCode.ts"
import { withStores } from "../Root.ts"
import { divisionList } from "../SettingsFlags.ts"

const keyText = (key: ApiKey) =>
  [
    key.id,
    key.name ?? "-",
    key.divisions.length === 0 ? "all divisions" : key.divisions.join(","),
    key.revokedAt === null ? `created ${key.createdAt}` : `revoked ${key.revokedAt}`
  ].join("  ")

const create = Command.make(
  "create",
  {
    name: Flag.String("name").pipe(Flag.withDescription("What the key is for"), Flag.optional),
    division: divisionList("Limit the key to this division (repeatable; default: all)"),
    json
  },
  Effect.fn("KeysCreate")(function* (input) {
    const { secret, key } = yield* withStores(
      createApiKey({ name: Option.getOrNull(input.name), divisions: input.division })
    )
    if (input.json) return yield* Console.log(JSON.stringify({ ...key, key: secret }))
    yield* Console.log(secret)
    yield* Console.error(
      `created API key ${key.id}; it is shown only now: send it as Authorization: Bearer KEY`
    )
  })
).pipe(Command.withDescription("Create an API key and print it once"))

const list = Command.make(
  "list",
  { json },
  Effect.fn("KeysList")(function* (input) {
    const keys = yield* withStores(ApiKeyStore.use((store) => store.list))
    yield* Console.log(input.json ? JSON.stringify(keys) : keys.map(keyText).join("\n"))
  })
).pipe(Command.withDescription("List the API keys (never their secrets)"))

const revoke = Command.make(
  "revoke",
  { id: Argument.String("id").pipe(Argument.withDescription("The key's id")) },
  Effect.fn("KeysRevoke")(function* (input) {
    const now = DateTime.formatIso(yield* DateTime.now)
    const found = yield* withStores(ApiKeyStore.use((store) => store.revoke(input.id, now)))
    if (!found) {
      return yield* new CommandFailed({
        message: `There is no API key "${input.id}".`,
        exitCode: ExitCode.usage
      })
    }
    yield* Console.log(`revoked API key ${input.id}`)
  })
).pipe(Command.withDescription("Revoke an API key: requests with it get 401 from then on"))

export const keysCommand = Command.make("keys").pipe(
  Command.withDescription("Manage the HTTP API's keys"),
  Command.withSubcommands([create, list, revoke])
)
