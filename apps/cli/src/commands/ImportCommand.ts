import { randomUUID } from "node:crypto"
import { accessSync, constants, createReadStream, existsSync, mkdirSync, statSync } from "node:fs"
import { basename, dirname, join, resolve } from "node:path"
import { jobFileSource, keepFile } from "@xcontacts/db"
import {
  DEFAULT_CHUNK_SIZE,
  defaultImportSettings,
  type ImportJob,
  ImportProfileStore,
  importFile,
  resolveSettings
} from "@xcontacts/domain"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { CommandFailed } from "../CommandFailed.ts"
import { atLeastOne } from "../CommonFlags.ts"
import { ExitCode, exitCodeOf } from "../ExitCode.ts"
import { jobSummary, jobText } from "../Output.ts"
import { endProgress, progressReporter } from "../Progress.ts"
import { writeReport } from "../ReportFile.ts"
import { root, withStores } from "../Root.ts"
import { givenSettings, settingsFlags } from "../SettingsFlags.ts"
import { jobFilesFolder } from "../Storage.ts"

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

/** A missing or unreadable path is a usage error: a clear line on stderr, nothing on stdout. */
const readableFile = (path: string) =>
  Effect.try({
    try: () => {
      if (!statSync(path).isFile()) throw new Error(`${path} is not a file`)
      accessSync(path, constants.R_OK)
    },
    catch: (cause) =>
      new CommandFailed({
        message: `cannot read ${path}: ${
          (cause as NodeJS.ErrnoException).code === "ENOENT"
            ? "no such file"
            : (cause as Error).message
        }`,
        exitCode: ExitCode.usage
      })
  })

/**
 * The report's folder must exist, and the path must be neither a folder nor the file being
 * imported (by any name: a link to it counts): checked before importing.
 */
const writableReport = (path: string, input: string) =>
  Effect.try({
    try: () => {
      if (existsSync(path)) {
        const target = statSync(path)
        if (target.isDirectory()) throw new Error("it is a folder")
        const source = statSync(input)
        if (target.dev === source.dev && target.ino === source.ino) {
          throw new Error("it is the file being imported, which the report would overwrite")
        }
      }
      accessSync(dirname(resolve(path)), constants.W_OK)
    },
    catch: (cause) =>
      new CommandFailed({
        message: `cannot write the report to ${path}: ${
          (cause as NodeJS.ErrnoException).code === "ENOENT"
            ? "its folder does not exist"
            : (cause as Error).message
        }`,
        exitCode: ExitCode.usage
      })
  })

/**
 * Copies the file into the job files' folder, described (size, SHA-256) on the way: the job
 * reads its copy from then on, so that a file still being written, replaced or deleted changes
 * neither the import nor, later, its report.
 */
const keepCopy = Effect.fnUntraced(function* (path: string) {
  const folder = yield* jobFilesFolder(Option.none(), (yield* root).dataDir)
  return yield* Effect.tryPromise({
    try: async () => {
      mkdirSync(folder, { recursive: true, mode: 0o700 })
      return keepFile(createReadStream(path), join(folder, `${randomUUID()}.csv`))
    },
    catch: (cause) =>
      new CommandFailed({
        message: `cannot keep a copy of ${path} in ${folder}: ${(cause as Error).message}`,
        exitCode: ExitCode.failure
      })
  })
})

export const importCommand = Command.make(
  "import",
  {
    file: Argument.String("file").pipe(Argument.withDescription("The CSV file to import")),
    profile: Flag.String("profile").pipe(
      // Names are saved trimmed, and looked up so.
      Flag.map((name) => name.trim()),
      Flag.withDescription(
        "Start from a saved import profile; flags override its settings (--map adds to its mapping)"
      ),
      Flag.optional
    ),
    ...settingsFlags,
    report: Flag.String("report").pipe(
      Flag.withDescription("Write the job's report (CSV) to this file"),
      Flag.optional
    ),
    chunkSize: Flag.Int("chunk-size").pipe(
      Flag.withDescription("Rows per committed chunk"),
      atLeastOne("chunk-size"),
      Flag.withDefault(DEFAULT_CHUNK_SIZE)
    ),
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
    yield* readableFile(input.file)
    if (Option.isSome(input.report)) yield* writableReport(input.report.value, input.file)
    const job: ImportJob = yield* withStores(
      Effect.gen(function* () {
        const profile = yield* loadProfile(input.profile)
        const settings = resolveSettings(defaultImportSettings, profile, givenSettings(input))
        const stored = yield* keepCopy(input.file)
        const job = yield* importFile({
          // Both passes, the report, a resume and a retry read the job's own copy of the file.
          file: jobFileSource(stored, basename(input.file)),
          stored,
          settings,
          dryRun: input.dryRun,
          chunkSize: input.chunkSize,
          onProgress: progressReporter(stored.size)
        })
        endProgress()
        if (Option.isSome(input.report)) yield* writeReport(job.id, false, input.report.value)
        return job
      })
    )
    yield* Console.log(input.json ? JSON.stringify(jobSummary(job)) : jobText(job))
    process.exitCode = exitCodeOf(job)
  })
).pipe(Command.withDescription("Import a CSV file of contacts and organizations"))
