import { createReadStream } from "node:fs"
import { basename } from "node:path"
import {
  defaultImportSettings,
  type ImportJob,
  type ImportSettings,
  importFile,
  MatchCriterion
} from "@xcontacts/domain"
import { Console, Effect } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { ExitCode } from "../ExitCode.ts"
import { jobSummary, jobText } from "../Output.ts"
import { withStores } from "../Root.ts"

const parseMapping = (entries: ReadonlyArray<string>): Record<string, string> =>
  Object.fromEntries(
    entries.map((entry) => {
      const at = entry.lastIndexOf("=")
      return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()]
    })
  )

const parseMatch = (value: string): ImportSettings["match"] =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      if (!MatchCriterion.literals.includes(part as MatchCriterion)) {
        throw new Error(`--match takes email and phone, not "${part}"`)
      }
      return part as MatchCriterion
    })

export const importCommand = Command.make(
  "import",
  {
    file: Argument.File("file", { mustExist: true }).pipe(
      Argument.withDescription("The CSV file to import")
    ),
    source: Flag.String("source").pipe(
      Flag.withDescription("External source the External IDs belong to"),
      Flag.withDefault(defaultImportSettings.source)
    ),
    division: Flag.String("division").pipe(
      Flag.withDescription("Division to import into"),
      Flag.withDefault(defaultImportSettings.division)
    ),
    match: Flag.String("match").pipe(
      Flag.withDescription(
        "Ordered match criteria for legacy contacts: email,phone (empty disables)"
      ),
      Flag.withDefault("email,phone"),
      Flag.mapTryCatch(parseMatch, (error) => String((error as Error).message))
    ),
    merge: Flag.Literals("merge", ["update-first", "merge-all", "reject"]).pipe(
      Flag.withDescription("What to do when several legacy contacts match"),
      Flag.withDefault("update-first")
    ),
    blank: Flag.Literals("blank", ["ignore", "clear"]).pipe(
      Flag.withDescription("Whether blank cells erase stored values"),
      Flag.withDefault("ignore")
    ),
    country: Flag.String("country").pipe(
      Flag.withDescription("Default phone country for numbers written without one"),
      Flag.withDefault(defaultImportSettings.country)
    ),
    delimiter: Flag.Literals("delimiter", ["auto", ",", ";", "tab", "pipe"]).pipe(
      Flag.withDefault("auto")
    ),
    encoding: Flag.Literals("encoding", [
      "auto",
      "utf-8",
      "utf-16le",
      "utf-16be",
      "windows-1252"
    ]).pipe(Flag.withDefault("auto")),
    map: Flag.String("map").pipe(
      Flag.withDescription(
        'Map a CSV header to a column: "CSV header=Canonical Header" (repeatable)'
      ),
      Flag.atLeast(0)
    ),
    orgKey: Flag.Literals("org-key", ["column", "name"]).pipe(
      Flag.withDescription("Key organizations by a key column or by their name"),
      Flag.withDefault("column")
    ),
    unknownColumns: Flag.Literals("unknown-columns", ["ignore", "keep"]).pipe(
      Flag.withDefault("ignore")
    ),
    dryRun: Flag.Boolean("dry-run").pipe(
      Flag.withDescription("Validate only; write nothing"),
      Flag.withDefault(false)
    ),
    json: Flag.Boolean("json").pipe(
      Flag.withDescription("Print one JSON object on stdout"),
      Flag.withDefault(false)
    )
  },
  Effect.fn("ImportCommand")(function* (input) {
    const settings: ImportSettings = {
      source: input.source,
      division: input.division,
      match: input.match,
      merge: input.merge,
      blank: input.blank,
      country: input.country.toUpperCase(),
      delimiter: input.delimiter,
      encoding: input.encoding,
      mapping: parseMapping(input.map),
      organizationKey: input.orgKey,
      unknownColumns: input.unknownColumns
    }
    const job: ImportJob = yield* withStores(
      importFile({
        file: { name: basename(input.file), open: () => createReadStream(input.file) },
        settings,
        dryRun: input.dryRun
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
