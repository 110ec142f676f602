import { Effect } from "effect"
import type { ImportJob, ImportJobId, ImportJobState } from "../ImportJob.ts"
import { ImportJobConflict } from "../ImportJobConflict.ts"
import { ImportJobStore, type JobTransition } from "../ports/ImportJobStore.ts"
import { JobFiles } from "../ports/JobFiles.ts"
import { advanceImportJob, loadJob, type RunOptions } from "./ImportFile.ts"

const move = Effect.fnUntraced(function* (
  id: ImportJobId,
  action: string,
  transition: JobTransition
) {
  const job = yield* loadJob(id)
  const moved = yield* (yield* ImportJobStore).transition(id, transition)
  if (!moved) return yield* new ImportJobConflict({ id, state: job.state, action })
})

/**
 * Imports a validated job: checks every row again against the store as it is now and commits
 * chunk by chunk. Fails with `ImportJobConflict` unless the job is `validated`.
 */
export const continueImportJob = Effect.fn("ContinueImportJob")(function* (
  id: ImportJobId,
  options: RunOptions = {}
) {
  yield* beginContinueImportJob(id)
  return yield* advanceImportJob(id, options)
})

/**
 * Moves a validated job to `importing` without running it, so that a server can answer at once
 * and run `advanceImportJob` in the background. Fails with `ImportJobConflict` unless the job
 * is `validated`.
 */
export const beginContinueImportJob = Effect.fn("BeginContinueImportJob")(function* (
  id: ImportJobId
) {
  yield* move(id, "continue", { from: ["validated"], to: "importing", reset: true })
  return yield* loadJob(id)
})

/**
 * Cancels a job that has written nothing yet (created, validating or validated); a running
 * validation stops at its next chunk. Fails with `ImportJobConflict` otherwise: an import that
 * has begun to commit can only be resumed.
 */
export const cancelImportJob = Effect.fn("CancelImportJob")(function* (id: ImportJobId) {
  yield* move(id, "be cancelled", {
    from: ["created", "validating", "validated"],
    to: "cancelled"
  })
  return yield* loadJob(id)
})

/**
 * Runs a failed job again: from validation, or from its checkpoint when its import had begun
 * to commit. Fails with `ImportJobConflict` unless the job is `failed`.
 */
export const retryImportJob = Effect.fn("RetryImportJob")(function* (
  id: ImportJobId,
  options: RunOptions = {}
) {
  yield* beginRetryImportJob(id)
  return yield* advanceImportJob(id, options)
})

/**
 * Moves a failed job back to where its run starts (`created`, or `importing` when its import
 * had begun to commit) without running it. Fails with `ImportJobConflict` unless it is `failed`.
 */
export const beginRetryImportJob = Effect.fn("BeginRetryImportJob")(function* (id: ImportJobId) {
  const job = yield* loadJob(id)
  // From its checkpoint, the problem that ended the failed run goes: the retry reads the file
  // again, and finds it again if it is still there. From the top, validation resets them all.
  const to = job.checkpointLine > 0 ? "importing" : "created"
  yield* move(id, "be retried", { from: ["failed"], to, dropFileErrors: true })
  return yield* loadJob(id)
})

/**
 * Goes on with a job a stopped process left `created`, `validating` or `importing`. Fails with
 * `ImportJobConflict` when the job is waiting (`validated`) or finished.
 */
export const resumeImportJob = Effect.fn("ResumeImportJob")(function* (
  id: ImportJobId,
  options: RunOptions = {}
) {
  const job = yield* loadJob(id)
  if (job.state !== "created" && job.state !== "validating" && job.state !== "importing") {
    return yield* new ImportJobConflict({ id, state: job.state, action: "be resumed" })
  }
  return yield* advanceImportJob(id, options)
})

/**
 * The states in which no process works on a job, so that it may be deleted: finished, or waiting
 * for `continue` (docs/adr/0403). `created`, `validating` and `importing` belong to a process
 * that runs or is about to run the job (or to one that stopped, which `resume` goes on with).
 */
export const deletableJobStates: ReadonlyArray<ImportJobState> = [
  "validated",
  "completed",
  "failed",
  "cancelled"
]

/** What deleting a job did: the job as it was, and what became of the file it kept. */
export interface DeletedImportJob {
  readonly job: ImportJob
  /**
   * `left` when the file is still on disk (a warning says why); `gone` when it was no longer
   * there; `none` when the job kept none.
   */
  readonly keptFile: "removed" | "gone" | "left" | "none"
}

/**
 * Deletes a job with its problems, row records and stage, then the file it kept; the contacts
 * and organizations it imported stay. A file that cannot be removed is logged and left: the job
 * is gone by then. Fails with `ImportJobNotFound`, or with `ImportJobConflict` while a process
 * works on the job, a validated one that goes on to import by itself included.
 */
export const deleteImportJob = Effect.fn("DeleteImportJob")(function* (id: ImportJobId) {
  const store = yield* ImportJobStore
  const job = yield* loadJob(id)
  // A validated job with auto-continue is between its two passes; auto-continue never changes,
  // so this check cannot race with the process that runs the job.
  const waiting = job.state !== "validated" || !job.autoContinue
  const removed = waiting ? yield* store.remove(id, deletableJobStates) : false
  if (!removed) {
    const now = yield* loadJob(id)
    return yield* new ImportJobConflict({ id, state: now.state, action: "be deleted" })
  }

  if (job.file === null) return { job, keptFile: "none" } satisfies DeletedImportJob
  const keptFile = yield* (yield* JobFiles)
    .remove(job.file)
    .pipe(
      Effect.catchTag("JobFileNotRemoved", (error) =>
        Effect.logWarning("job file left").pipe(
          Effect.annotateLogs({ jobId: id, reason: error.message }),
          Effect.as("left" as const)
        )
      )
    )
  return { job, keptFile } satisfies DeletedImportJob
})

/** The jobs a stopped process left unfinished, oldest first, for a server to resume on start. */
export const unfinishedImportJobs = Effect.fn("UnfinishedImportJobs")(function* () {
  const jobs = yield* (yield* ImportJobStore).list(10_000)
  return jobs
    .filter((job) => ["created", "validating", "importing"].includes(job.state))
    .toReversed()
})
