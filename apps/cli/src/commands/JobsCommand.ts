import {
  BEFORE_FIRST_LINE,
  cancelImportJob,
  continueImportJob,
  deleteImportJob,
  type ImportJob,
  ImportJobConflict,
  type ImportJobId,
  ImportJobNotFound,
  ImportJobStore,
  JobFileUnavailable,
  loadJob,
  type RunOptions,
  resumeImportJob,
  retryImportJob,
  wouldBe
} from "@xcontacts/domain"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { CommandFailed } from "../CommandFailed.ts"
import { atLeastOne, json } from "../CommonFlags.ts"
import { ExitCode, exitCodeOf } from "../ExitCode.ts"
import {
  deletedJobSummary,
  deletedJobText,
  jobSummary,
  jobText,
  problemJson,
  problemText,
  soFar
} from "../Output.ts"
import { endProgress, progressReporter } from "../Progress.ts"
import { writeReport } from "../ReportFile.ts"
import { withStores } from "../Root.ts"

const jobId = Argument.String("job-id").pipe(Argument.withDescription("The import job's id"))

/** The CLI's answer to a job that is missing, in the wrong state, or whose file changed. */
const jobErrors = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.mapError(effect, (error) => {
    if (error instanceof ImportJobNotFound) {
      return new CommandFailed({
        message: `${error.message} See xcontacts jobs list.`,
        exitCode: ExitCode.usage
      })
    }
    if (error instanceof ImportJobConflict || error instanceof JobFileUnavailable) {
      return new CommandFailed({ message: error.message, exitCode: ExitCode.failure })
    }
    return error
  })

const list = Command.make(
  "list",
  {
    json,
    limit: Flag.Int("limit").pipe(
      Flag.withDescription("At most N jobs"),
      atLeastOne("limit"),
      Flag.withDefault(50)
    )
  },
  Effect.fn("JobsList")(function* (input) {
    const jobs = yield* withStores(ImportJobStore.use((store) => store.list(input.limit)))
    if (input.json) {
      yield* Console.log(JSON.stringify(jobs.map(jobSummary)))
      return
    }
    for (const job of jobs) {
      const { counters } = job
      yield* Console.log(
        [
          job.id,
          job.state,
          job.createdAt,
          job.fileName ?? "",
          `${counters.rowsImported}/${counters.rowsTotal} ` +
            `${wouldBe(job) ? "would import" : "imported"}, ` +
            `${counters.rowsFailed} failed${soFar(job)}`
        ].join("\t")
      )
    }
  })
).pipe(Command.withDescription("List import jobs, newest first"))

const show = Command.make(
  "show",
  { jobId, json },
  Effect.fn("JobsShow")(function* (input) {
    const job = yield* withStores(
      ImportJobStore.use((store) => store.get(input.jobId as ImportJobId))
    )
    if (Option.isNone(job)) {
      return yield* new CommandFailed({
        message: `There is no import job "${input.jobId}"; see xcontacts jobs list.`,
        exitCode: ExitCode.usage
      })
    }
    yield* Console.log(input.json ? JSON.stringify(jobSummary(job.value)) : jobText(job.value))
  })
).pipe(Command.withDescription("Show one import job: state, counters and its first problems"))

const report = Command.make(
  "report",
  {
    jobId,
    failedOnly: Flag.Boolean("failed-only").pipe(
      Flag.withDescription("Only the rows that failed: fix them and import that file again"),
      Flag.withDefault(false)
    ),
    output: Flag.String("output").pipe(
      Flag.withDescription("Write the report to this file instead of stdout"),
      Flag.optional
    )
  },
  Effect.fn("JobsReport")(function* (input) {
    yield* withStores(
      jobErrors(
        writeReport(input.jobId as ImportJobId, input.failedOnly, Option.getOrNull(input.output))
      )
    )
  })
).pipe(Command.withDescription("Write a job's report as CSV: the file's rows with their outcome"))

/**
 * Runs a job in this process with progress on stderr, then prints it; the exit code is the
 * job's. Unknown, conflicting and file errors are the CLI's answers (`jobErrors`).
 */
const inForeground = Effect.fnUntraced(function* <E, R>(
  id: ImportJobId,
  json: boolean,
  run: (id: ImportJobId, options: RunOptions) => Effect.Effect<ImportJob, E, R>
) {
  const job = yield* withStores(
    jobErrors(
      Effect.gen(function* () {
        const stored = yield* loadJob(id)
        const job = yield* run(id, { onProgress: progressReporter(stored.file?.size ?? 0) })
        endProgress()
        return job
      })
    )
  )
  yield* Console.log(json ? JSON.stringify(jobSummary(job)) : jobText(job))
  process.exitCode = exitCodeOf(job)
})

const resume = Command.make(
  "resume",
  { jobId, json },
  Effect.fn("JobsResume")(function* (input) {
    yield* inForeground(input.jobId as ImportJobId, input.json, resumeImportJob)
  })
).pipe(Command.withDescription("Go on with a job a stopped process left unfinished"))

const continueJob = Command.make(
  "continue",
  { jobId, json },
  Effect.fn("JobsContinue")(function* (input) {
    yield* inForeground(input.jobId as ImportJobId, input.json, continueImportJob)
  })
).pipe(
  Command.withDescription(
    "Import a validated job (a dry run, or one waiting for continue), checking every row again"
  )
)

const retry = Command.make(
  "retry",
  { jobId, json },
  Effect.fn("JobsRetry")(function* (input) {
    yield* inForeground(input.jobId as ImportJobId, input.json, retryImportJob)
  })
).pipe(
  Command.withDescription(
    "Run a failed job again: from validation, or from its checkpoint if it had begun to import"
  )
)

const cancel = Command.make(
  "cancel",
  { jobId, json },
  Effect.fn("JobsCancel")(function* (input) {
    const job = yield* withStores(jobErrors(cancelImportJob(input.jobId as ImportJobId)))
    yield* Console.log(input.json ? JSON.stringify(jobSummary(job)) : jobText(job))
  })
).pipe(Command.withDescription("Cancel a job that has not begun to import"))

const remove = Command.make(
  "delete",
  { jobId, json },
  Effect.fn("JobsDelete")(function* (input) {
    const deleted = yield* withStores(jobErrors(deleteImportJob(input.jobId as ImportJobId)))
    yield* Console.log(
      input.json ? JSON.stringify(deletedJobSummary(deleted)) : deletedJobText(deleted)
    )
  })
).pipe(
  Command.withDescription(
    "Delete a job that no process runs, with its row records, problems and kept file; " +
      "the contacts and organizations it imported stay"
  )
)

/** Problems per store round trip; a page ends with a whole line, so it may hold a few more. */
const problemPageSize = 500

const problems = Command.make(
  "problems",
  {
    jobId,
    json,
    after: Flag.Int("after").pipe(
      Flag.withDescription("Only the problems on lines after LINE (where a preview stopped)"),
      Flag.optional
    ),
    limit: Flag.Int("limit").pipe(
      Flag.withDescription("Stop once N problems are printed, at the end of a line"),
      Flag.optional
    )
  },
  Effect.fn("JobsProblems")(function* (input) {
    const id = input.jobId as ImportJobId
    if (
      Option.exists(input.after, (line) => line < 0) ||
      Option.exists(input.limit, (n) => n < 1)
    ) {
      return yield* new CommandFailed({
        message: "--after must be 0 or more and --limit 1 or more.",
        exitCode: ExitCode.usage
      })
    }
    yield* withStores(
      jobErrors(
        Effect.gen(function* () {
          yield* loadJob(id)
          const store = yield* ImportJobStore
          let remaining = Option.getOrElse(input.limit, () => Number.POSITIVE_INFINITY)
          let after = Option.getOrElse(input.after, () => BEFORE_FIRST_LINE)
          let first = true
          if (input.json) yield* Console.log("[")
          while (remaining > 0) {
            const wanted = Math.min(problemPageSize, remaining)
            const page = yield* store.problems(id, after, wanted)
            for (const problem of page) {
              yield* Console.log(
                input.json
                  ? `${first ? "" : ","}${JSON.stringify(problemJson(problem))}`
                  : problemText(problem)
              )
              first = false
            }
            remaining -= page.length
            if (page.length < wanted) break
            after = page.at(-1)!.line
          }
          if (input.json) yield* Console.log("]")
          if (remaining <= 0 && (yield* store.problems(id, after, 1)).length > 0) {
            yield* Console.error(
              `More problems follow: xcontacts jobs problems ${id} --after ${after}`
            )
          }
        })
      )
    )
  })
).pipe(
  Command.withDescription(
    "Print a job's problems in line order, all of them unless --limit is given, streaming"
  )
)

export const jobsCommand = Command.make("jobs").pipe(
  Command.withDescription("Inspect, continue, resume, cancel, delete and report on import jobs"),
  Command.withSubcommands([
    list,
    show,
    problems,
    report,
    continueJob,
    resume,
    retry,
    cancel,
    remove
  ])
)
