import { type ImportProfile, ImportProfileStore, readProfileName } from "@xcontacts/domain"
import { Console, DateTime, Effect, Option, Result } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { CommandFailed } from "../CommandFailed.ts"
import { json } from "../CommonFlags.ts"
import { ExitCode } from "../ExitCode.ts"
import { withStores } from "../Root.ts"
import { givenSettings, settingsFlags } from "../SettingsFlags.ts"

// Names are saved trimmed, and looked up so.
const name = Argument.String("name").pipe(
  Argument.map((given) => given.trim()),
  Argument.withDescription("The profile's name")
)

const profileText = (profile: ImportProfile) =>
  [
    profile.name,
    ...Object.entries(profile.settings).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`)
  ].join("\n")

const notFound = (profileName: string) =>
  new CommandFailed({
    message: `There is no import profile "${profileName}".`,
    exitCode: ExitCode.usage
  })

const create = Command.make(
  "create",
  {
    name,
    ...settingsFlags,
    replace: Flag.Boolean("replace").pipe(
      Flag.withDescription("Replace a profile of the same name"),
      Flag.withDefault(false)
    ),
    json
  },
  Effect.fn("ProfilesCreate")(function* (input) {
    const given = readProfileName(input.name)
    if (Result.isFailure(given)) {
      return yield* new CommandFailed({ message: given.failure, exitCode: ExitCode.usage })
    }
    const name = given.success
    const profile = yield* withStores(
      Effect.gen(function* () {
        const profiles = yield* ImportProfileStore
        const existing = yield* profiles.get(name)
        if (Option.isSome(existing) && !input.replace) {
          return yield* new CommandFailed({
            message: `Import profile "${name}" exists; add --replace to overwrite it.`,
            exitCode: ExitCode.usage
          })
        }
        const now = DateTime.formatIso(yield* DateTime.now)
        const profile: ImportProfile = {
          name,
          settings: givenSettings(input),
          createdAt: Option.match(existing, { onNone: () => now, onSome: (p) => p.createdAt }),
          updatedAt: now
        }
        yield* profiles.save(profile)
        return profile
      })
    )
    yield* Console.log(input.json ? JSON.stringify(profile) : profileText(profile))
  })
).pipe(Command.withDescription("Save import settings under a name, for import --profile NAME"))

const list = Command.make(
  "list",
  { json },
  Effect.fn("ProfilesList")(function* (input) {
    const all = yield* withStores(ImportProfileStore.use((profiles) => profiles.list))
    yield* Console.log(input.json ? JSON.stringify(all) : all.map(profileText).join("\n"))
  })
).pipe(Command.withDescription("List the saved import profiles"))

const show = Command.make(
  "show",
  { name, json },
  Effect.fn("ProfilesShow")(function* (input) {
    const profile = yield* withStores(
      ImportProfileStore.use((profiles) => profiles.get(input.name))
    )
    if (Option.isNone(profile)) return yield* notFound(input.name)
    yield* Console.log(input.json ? JSON.stringify(profile.value) : profileText(profile.value))
  })
).pipe(Command.withDescription("Show one import profile"))

const remove = Command.make(
  "delete",
  { name },
  Effect.fn("ProfilesDelete")(function* (input) {
    const removed = yield* withStores(
      ImportProfileStore.use((profiles) => profiles.remove(input.name))
    )
    if (!removed) return yield* notFound(input.name)
    yield* Console.log(`deleted import profile ${input.name}`)
  })
).pipe(Command.withDescription("Delete an import profile"))

export const profilesCommand = Command.make("profiles").pipe(
  Command.withDescription("Manage saved import settings"),
  Command.withSubcommands([create, list, show, remove])
)
