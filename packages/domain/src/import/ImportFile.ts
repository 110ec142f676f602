import { DateTime, Effect, Option, Result } from "effect"
import {
  emptyCounters,
  emptyProgress,
  type ImportJob,
  type ImportJobId,
  type ImportProgress,
  type JobFile
} from "../ImportJob.ts"
import { ImportJobNotFound } from "../ImportJobNotFound.ts"
import type { ImportSettings } from "../ImportSettings.ts"
import { type Problem, problemError } from "../Problem.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { ImportJobStore } from "../ports/ImportJobStore.ts"
import { ImportStore } from "../ports/ImportStore.ts"
import { JobFiles, JobFileUnavailable } from "../ports/JobFiles.ts"
import type { CsvSource } from "./CsvSource.ts"
import { runPass } from "./ImportPass.ts"

export type { CsvSource } from "./CsvSource.ts"

/**
 * Rows per committed chunk unless the caller says otherwise. At 100,000 rows 2,000 imported about
 * a fifth faster than 1,000 on PostgreSQL and a tenth on PGlite; 5,000 gained a few percent more
 * for chunks (and the division's lock, and the work a resume repeats) two and a half times larger
 * (docs/performance.md).
 */
export const DEFAULT_CHUNK_SIZE = 2000

/** How a job runs in this process: chunk size and where progress goes. */
export interface RunOptions {
  readonly chunkSize?: number
  /** The job's file, when the caller has it at hand; otherwise `JobFiles` opens the kept one. */
  readonly source?: CsvSource
  readonly onProgress?: (
    job: ImportJobId,
    state: string,
    progress: ImportProgress
  ) => Effect.Effect<void>
}

export interface ImportRequest extends RunOptions {
  readonly file: CsvSource
  /** Where the file is kept, so that the job can be resumed and reported on later. */
  readonly stored?: JobFile
  readonly settings: ImportSettings
  /** Validate only: run every check and merge decision, write nothing but the job. */
  readonly dryRun: boolean
  /** Validate, then wait for `continue` (the API's default); ignored with `dryRun`. */
  readonly waitForContinue?: boolean
}

/**
 * Creates an import job for a file in state `created`, remembering where the file is kept.
 * Fails only when the store does.
 */
export const createImportJob = Effect.fn("CreateImportJob")(function* (
  request: Omit<ImportRequest, "dryRun"> & { readonly autoContinue: boolean }
) {
  const jobs = yield* ImportJobStore
  const ids = yield* IdGenerator
  const createdAt = DateTime.formatIso(yield* DateTime.now)
  const job: ImportJob = {
    id: ids.next("job") as ImportJobId,
    state: "created",
    fileName: request.file.name,
    file: request.stored ?? null,
    autoContinue: request.autoContinue,
    progress: emptyProgress(),
    checkpointLine: 0,
    settings: request.settings,
    counters: emptyCounters(),
    problems: [],
    problemCount: 0,
    createdAt,
    updatedAt: createdAt
  }
  yield* jobs.create(job)
  return job
})

/**
 * Imports one CSV file: validates it completely first (a dry run with the same checks and merge
 * decisions), then, unless asked for a dry run or to wait, applies it chunk by chunk, each chunk
 * committed with the job's counters and checkpoint. A file that cannot be read ends the job
 * `failed` with nothing written. Fails only when the store does.
 */
export const importFile = Effect.fn("ImportFile")(function* (request: ImportRequest) {
  const job = yield* createImportJob({
    ...request,
    autoContinue: !request.dryRun && request.waitForContinue !== true
  })
  return yield* advanceImportJob(job.id, { ...request, source: request.file })
})

export const loadJob = Effect.fnUntraced(function* (id: ImportJobId) {
  const job = yield* (yield* ImportJobStore).get(id)
  if (Option.isNone(job)) return yield* new ImportJobNotFound({ id })
  return job.value
})

/**
 * Drives a job as far as it can go from the state it is in: `created` or `validating` validate
 * (from the top: a dry run keeps no checkpoint), `importing` imports on from its checkpoint, and
 * a validated job with auto-continue goes on to import. What a killed process left behind is
 * resumed so. A job whose kept file is gone or changed cannot go on: it fails with
 * `FILE_UNAVAILABLE` or `FILE_CHANGED`, keeping what it committed, and can be retried once the
 * file is back. Fails with `ImportJobNotFound`, or when the store does.
 */
export const advanceImportJob = Effect.fn("AdvanceImportJob")(function* (
  id: ImportJobId,
  options: RunOptions = {}
) {
  const jobs = yield* ImportJobStore
  const store = yield* ImportStore
  let source = options.source
  const openKept = Effect.fnUntraced(function* (job: ImportJob) {
    if (job.file === null) {
      return yield* new JobFileUnavailable({
        message: `Import job "${job.id}" kept no file, so it cannot go on; import the file again.`
      })
    }
    return yield* (yield* JobFiles).open(job.file, job.fileName)
  })
  /** The job's file, or null once the job has failed because its file cannot be read again. */
  const fileOf = Effect.fnUntraced(function* (job: ImportJob) {
    if (source !== undefined) return source
    const opened = yield* Effect.result(openKept(job))
    if (Result.isSuccess(opened)) {
      source = opened.success
      return source
    }
    const problem = problemError(
      0,
      null,
      opened.failure.changed === true ? "FILE_CHANGED" : "FILE_UNAVAILABLE",
      opened.failure.message
    )
    yield* job.state === "importing"
      ? jobs.transition(id, { from: ["importing"], to: "failed", problems: [problem] })
      : failedValidation([problem])
    return null
  })
  const onProgress = (state: string) => (progress: ImportProgress) =>
    options.onProgress?.(id, state, progress) ?? Effect.void
  // A validation that cannot read its file to the end has written nothing: its rows have no
  // outcome, so their records and problems go, leaving the file's problem that ended it.
  const failedValidation = (problems: ReadonlyArray<Problem>) =>
    jobs.transition(id, {
      from: ["created", "validating"],
      to: "failed",
      problems,
      counters: emptyCounters(),
      discardRows: true
    })

  while (true) {
    const job = yield* loadJob(id)
    if (job.state === "created" || job.state === "validating") {
      const file = yield* fileOf(job)
      if (file === null) continue
      const started = yield* jobs.transition(id, {
        from: ["created", "validating"],
        to: "validating",
        reset: true
      })
      if (!started) continue
      const result = yield* runPass({
        jobId: id,
        file,
        settings: job.settings,
        mode: "validate",
        start: null,
        chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
        onProgress: onProgress("validating")
      }).pipe(
        Effect.catchTag("FileRejected", (rejected) => Effect.succeed(rejected)),
        Effect.ensuring(Effect.ignore(store.dropStage(id)))
      )
      if (result._tag === "FileRejected") {
        yield* failedValidation(result.problems as Array<Problem>)
        continue
      }
      if (result._tag === "Interrupted") continue
      yield* jobs.transition(id, {
        from: ["validating"],
        to: "validated",
        counters: result.counters
      })
      if (job.autoContinue) {
        yield* jobs.transition(id, { from: ["validated"], to: "importing", reset: true })
      }
      continue
    }
    if (job.state === "importing") {
      const file = yield* fileOf(job)
      if (file === null) continue
      const result = yield* runPass({
        jobId: id,
        file,
        settings: job.settings,
        mode: "apply",
        start:
          job.checkpointLine > 0
            ? { checkpointLine: job.checkpointLine, counters: job.counters }
            : null,
        chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
        onProgress: onProgress("importing")
      }).pipe(Effect.catchTag("FileRejected", (rejected) => Effect.succeed(rejected)))
      if (result._tag === "FileRejected") {
        yield* jobs.transition(id, {
          from: ["importing"],
          to: "failed",
          problems: result.problems as Array<Problem>
        })
        continue
      }
      if (result._tag === "Interrupted") continue
      yield* jobs.transition(id, {
        from: ["importing"],
        to: "completed",
        counters: result.counters
      })
      // The job is complete whether or not this succeeds; the next import's retries it.
      yield* Effect.ignore(store.reclaim())
      continue
    }
    return job
  }
})
