import { Context, type Effect, type Option } from "effect"
import type { ImportCounters, ImportJob, ImportJobId, ImportJobState } from "../ImportJob.ts"
import type { Problem } from "../Problem.ts"
import type { RowRecord } from "./ImportStore.ts"
import type { StoreError } from "./StoreError.ts"

/** A change of a job's state, made only when the job is in one of `from`. */
export interface JobTransition {
  readonly from: ReadonlyArray<ImportJobState>
  readonly to: ImportJobState
  /** Forget the job's counters, problems, row records, progress and checkpoint. */
  readonly reset?: boolean
  /**
   * Forget the job's row records and problems, keeping its progress: the run that recorded them
   * wrote nothing (a validation that ended on a file it could not read).
   */
  readonly discardRows?: boolean
  /**
   * Forget the problems of the file itself that are errors: they ended the run being retried,
   * and a retry that reads the file to its end has no such error (its warnings stay).
   */
  readonly dropFileErrors?: boolean
  readonly counters?: ImportCounters
  /** Problems of the file itself that ended the run (it could not be read), kept with the job. */
  readonly problems?: ReadonlyArray<Problem>
}

/**
 * Keeps import jobs: their state, counters, progress, problems and row records. A row's problems
 * are kept once, with its row record; a job is read with a preview of its problems (see
 * `ImportJob.problems`) and its problems are paged by line, so that reading a job costs the
 * same whatever the size of its file. Jobs are kept until removed. Fails with `StoreError` when
 * the store does.
 */
export class ImportJobStore extends Context.Service<
  ImportJobStore,
  {
    readonly create: (job: ImportJob) => Effect.Effect<void, StoreError>
    /** Saves the job's state, counters and the given new problems of the file itself. */
    readonly update: (
      job: ImportJob,
      newProblems: ImportJob["problems"]
    ) => Effect.Effect<void, StoreError>
    /** Moves the job to `to` if it is in one of `from`; answers whether it did. */
    readonly transition: (
      id: ImportJobId,
      transition: JobTransition
    ) => Effect.Effect<boolean, StoreError>
    /**
     * Deletes the job with its problems, row records and stage if it is in one of `from`;
     * answers whether it did. The contacts and organizations its import wrote stay, and so do
     * the merge records that name it.
     */
    readonly remove: (
      id: ImportJobId,
      from: ReadonlyArray<ImportJobState>
    ) => Effect.Effect<boolean, StoreError>
    readonly get: (id: ImportJobId) => Effect.Effect<Option.Option<ImportJob>, StoreError>
    readonly list: (limit: number) => Effect.Effect<ReadonlyArray<ImportJob>, StoreError>
    /** Up to `limit` row records of the job after `afterLine`, by line. */
    readonly rows: (
      id: ImportJobId,
      afterLine: number,
      limit: number
    ) => Effect.Effect<ReadonlyArray<RowRecord>, StoreError>
    /**
     * The job's problems on lines after `afterLine`, of the file itself and of its rows, in line
     * order: whole lines, ending with the line that brings their number to `limit` (a page holds
     * fewer only when it is the last), so that the next page starts after its last line.
     * `BEFORE_FIRST_LINE` pages from the top.
     */
    readonly problems: (
      id: ImportJobId,
      afterLine: number,
      limit: number
    ) => Effect.Effect<ReadonlyArray<Problem>, StoreError>
  }
>()("@xcontacts/domain/ports/ImportJobStore") {}
