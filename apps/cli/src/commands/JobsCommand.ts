import { type ImportJobId, ImportJobStore } from "@xcontacts/domain"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { CommandFailed } from "../CommandFailed.ts"
import { ExitCode } from "../ExitCode.ts"
import { jobSummary, jobText } from "../Output.ts"
import { withStores } from "../Root.ts"

const json = Flag.Boolean("json").pipe(Flag.withDescription("Print JSON"), Flag.withDefault(false))
const jobId = Argument.String("job-id").pipe(Argument.withDescription("The import job's id"))

const list = Command.make(
  "list",
  {
    json,
    limit: Flag.Int("limit").pipe(Flag.withDescription("At most N jobs"), Flag.withDefault(50))
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
          `${counters.rowsImported}/${counters.rowsTotal} imported, ${counters.rowsFailed} failed`
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
).pipe(Command.withDescription("Show one import job: state, counters and problems"))

export const jobsCommand = Command.make("jobs").pipe(
  Command.withDescription("Inspect import jobs"),
  Command.withSubcommands([list, show])
)
