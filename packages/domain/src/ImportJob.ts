import { Schema } from "effect"
import { ImportSettings } from "./ImportSettings.ts"
import { mergeByLine, Problem, wholeLines } from "./Problem.ts"

export const ImportJobId = Schema.String.pipe(Schema.brand("ImportJobId"))
export type ImportJobId = typeof ImportJobId.Type

export const ImportJobState = Schema.Literals([
  "created",
  "validating",
  "validated",
  "importing",
  "completed",
  "failed",
  "cancelled"
])
export type ImportJobState = typeof ImportJobState.Type

const EntityCounters = Schema.Struct({
  created: Schema.Int,
  updated: Schema.Int,
  unchanged: Schema.Int
})

/** Counts of committed work, never of parsed rows (spec §7). */
export const ImportCounters = Schema.Struct({
  rowsTotal: Schema.Int,
  rowsImported: Schema.Int,
  rowsFailed: Schema.Int,
  rowsBlank: Schema.Int,
  warnings: Schema.Int,
  contacts: Schema.Struct({ ...EntityCounters.fields, merged: Schema.Int }),
  organizations: EntityCounters
})
export type ImportCounters = typeof ImportCounters.Type

/** Counters while a pass runs: the planner adds to them in place. */
export type CountersDraft = {
  -readonly [K in keyof ImportCounters]: ImportCounters[K] extends object
    ? { -readonly [F in keyof ImportCounters[K]]: ImportCounters[K][F] }
    : ImportCounters[K]
}

export const emptyCounters = (): CountersDraft => ({
  rowsTotal: 0,
  rowsImported: 0,
  rowsFailed: 0,
  rowsBlank: 0,
  warnings: 0,
  contacts: { created: 0, updated: 0, merged: 0, unchanged: 0 },
  organizations: { created: 0, updated: 0, unchanged: 0 }
})

/**
 * Where a job's file is kept, so that a resumed job and its report read the same bytes: a path
 * (the CLI's file, the API's upload), its size and a SHA-256 that refuse a changed file.
 */
export const JobFile = Schema.Struct({
  location: Schema.String,
  size: Schema.Int,
  checksum: Schema.String
})
export type JobFile = typeof JobFile.Type

/** How far the running pass has read: rows processed and bytes read, updated per chunk. */
export const ImportProgress = Schema.Struct({
  rowsProcessed: Schema.Int,
  bytesRead: Schema.Int
})
export type ImportProgress = typeof ImportProgress.Type

export const emptyProgress = (): ImportProgress => ({ rowsProcessed: 0, bytesRead: 0 })

/** How many of its first problems a job carries with it; the store pages through the rest. */
export const PROBLEM_PREVIEW_SIZE = 100

/**
 * One run of one file with one set of settings: its state, counters, and a preview of its
 * problems with their number.
 */
export const ImportJob = Schema.Struct({
  id: ImportJobId,
  state: ImportJobState,
  fileName: Schema.NullOr(Schema.String),
  file: Schema.NullOr(JobFile),
  /** After validation, go on to import without waiting for `continue`. */
  autoContinue: Schema.Boolean,
  progress: ImportProgress,
  /** Lines up to this one are committed by the import pass; a resumed job starts after it. */
  checkpointLine: Schema.Int,
  settings: ImportSettings,
  counters: ImportCounters,
  /**
   * A preview in line order: the job's first problems, whole lines, until there are
   * `PROBLEM_PREVIEW_SIZE`, then any later problem of the file itself (a read that failed).
   * `ImportJobStore.problems` pages through all of them.
   */
  problems: Schema.Array(Problem),
  /** How many problems the job has in all, of the file and of its rows. */
  problemCount: Schema.Int,
  createdAt: Schema.String,
  updatedAt: Schema.String
})
export type ImportJob = typeof ImportJob.Type

/**
 * Whether a job's counters and row records are a validation's would-be figures rather than
 * committed work: it is validating, validated (a dry run, or waiting to continue), or was
 * cancelled before importing. Such a job's new contacts and organizations were never written.
 */
export const wouldBe = (job: Pick<ImportJob, "state" | "checkpointLine">): boolean =>
  job.state === "validating" ||
  job.state === "validated" ||
  (job.state === "cancelled" && job.checkpointLine === 0)

/**
 * A job's preview of problems from the file's own problems and (at least) its first
 * `PROBLEM_PREVIEW_SIZE` row problems, both in line order.
 */
export const problemPreview = (
  fileProblems: ReadonlyArray<Problem>,
  rowProblems: ReadonlyArray<Problem>
): Array<Problem> => {
  const first = wholeLines(mergeByLine(fileProblems, rowProblems), PROBLEM_PREVIEW_SIZE)
  const end = first.at(-1)?.line ?? Number.NEGATIVE_INFINITY
  return [...first, ...fileProblems.filter((problem) => problem.line > end)]
}

/**
 * A page of a job's problems after some line, from the file's own and the row problems after
 * it, by line: whole lines, ending with the line that brings their number to `limit`.
 */
export const problemPage = (
  fileProblems: ReadonlyArray<Problem>,
  rowProblems: ReadonlyArray<Problem>,
  limit: number
): Array<Problem> => wholeLines(mergeByLine(fileProblems, rowProblems), limit)

/**
 * The `afterLine` that pages a job's problems from the top: problems of the file as a whole
 * (`FILE_TOO_LARGE`, a read that failed before any line) are on line 0.
 */
export const BEFORE_FIRST_LINE = -1

/**
 * The line up to which a job's preview holds every problem of the job, so that paging after it
 * shows the rest; null when the preview holds them all (or, read while the job was reset, holds
 * fewer than its count says and no line can be named).
 */
export const previewEndLine = (job: Pick<ImportJob, "problems" | "problemCount">) => {
  if (job.problemCount <= job.problems.length) return null
  const first = wholeLines(job.problems, PROBLEM_PREVIEW_SIZE)
  return first.length >= PROBLEM_PREVIEW_SIZE ? first.at(-1)!.line : null
}
