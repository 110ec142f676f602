import { createReadStream } from "node:fs"
import { basename } from "node:path"
import {
  defaultImportSettings,
  type ImportJob,
  ImportProfileStore,
  importFile,
  resolveSettings
} from "@xcontacts/domain"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { CommandFailed } from "../CommandFailed.ts"
import { ExitCode } from "../ExitCode.ts"
import { jobSummary, jobText } from "../Output.ts"
import { withStores } from "../Root.ts"
import { givenSettings, settingsFlags } from "../SettingsFlags.ts"

/** Loads the named profile, or fails with a usage error that names it. */
export const loadProfile = Effect.fnUntraced(function* (name: Option.Option<string>) {
  if (Option.isNone(name)) return {}
  const profiles = yield* ImportProfileStore
  const profile = yield* profiles.get(name.value)
  if (Option.isNone(profile)) {
    return yield* new CommandFailed({
      message: `There is no import profile "${name.value}"; see xcontacts profiles list.`,
      exitCode: ExitCode.usage
    })
  }
  return profile.value.settings
})

export const importCommand = Command.make(
  "import",
  {
    file: Argument.File("file", { mustExist: true }).pipe(
      Argument.withDescription("The CSV file to import")
    ),
    profile: Flag.String("profile").pipe(
      Flag.withDescription("Start from a saved import profile; flags override its settings"),
      Flag.optional
    ),
    ...settingsFlags,
    dryRun: Flag.Boolean("dry-run").pipe(
      Flag.withDescription("Validate only: run every check and merge decision, write nothing"),
      Flag.withDefault(false)
    ),
    json: Flag.Boolean("json").pipe(
      Flag.withDescription("Print one JSON object on stdout"),
      Flag.withDefault(false)
    )
  },
  Effect.fn("ImportCommand")(function* (input) {
    const job: ImportJob = yield* withStores(
      Effect.gen(function* () {
        const profile = yield* loadProfile(input.profile)
        const settings = resolveSettings(defaultImportSettings, profile, givenSettings(input))
        return yield* importFile({
          file: { name: basename(input.file), open: () => createReadStream(input.file) },
          settings,
          dryRun: input.dryRun
        })
      })
    )
    yield* Console.log(input.json ? JSON.stringify(jobSummary(job)) : jobText(job))
    process.exitCode =
      job.state === "failed"
        ? ExitCode.fileRejected
        : job.counters.rowsFailed > 0
          ? ExitCode.rowsFailed
          : ExitCode.success
  })
).pipe(Command.withDescription("Import a CSV file of contacts and organizations"))
