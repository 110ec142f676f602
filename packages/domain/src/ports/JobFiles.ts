import { Context, Effect, Schema } from "effect"
import type { JobFile } from "../ImportJob.ts"
import type { CsvSource } from "../import/CsvSource.ts"

/**
 * A job's file is gone, or (`changed`) no longer the file the job started with; resume and report
 * refuse it.
 */
export class JobFileUnavailable extends Schema.TaggedError<JobFileUnavailable>()(
  "JobFileUnavailable",
  { message: Schema.String, changed: Schema.optionalKey(Schema.Boolean) }
) {}

/**
 * A deleted job's kept file was left on disk: it lies outside the job files' folder (a path the
 * job recorded rather than a copy it made), or removing it failed. The message names the path.
 */
export class JobFileNotRemoved extends Schema.TaggedError<JobFileNotRemoved>()(
  "JobFileNotRemoved",
  { message: Schema.String }
) {}

/**
 * Thrown by a job file's reader when the bytes it read are not the file the job started with:
 * fewer than its size, or another SHA-256. The pass that reads it fails with `FILE_CHANGED`.
 */
export class JobFileChanged extends Error {
  constructor(location: string) {
    super(`${location} changed while the job read it`)
    this.name = "JobFileChanged"
  }
}

/**
 * Opens a job's kept file again, for a resumed job or its report, after checking that its size
 * and checksum are still those the job started with, and removes it when its job is deleted.
 * `open` fails with `JobFileUnavailable` when the file is missing or changed; `remove` with
 * `JobFileNotRemoved` when it leaves the file on disk. The default knows no files: adapters
 * replace it in the apps.
 */
export class JobFiles extends Context.Reference<{
  readonly open: (
    file: JobFile,
    name: string | null
  ) => Effect.Effect<CsvSource, JobFileUnavailable>
  /**
   * Removes a file that the job files' folder keeps for a job, and says whether it was there:
   * one already gone is no failure (`gone`). Any other path is left alone: only a copy the
   * store made is its to delete.
   */
  readonly remove: (file: JobFile) => Effect.Effect<"removed" | "gone", JobFileNotRemoved>
}>("@xcontacts/domain/ports/JobFiles", {
  defaultValue: () => ({
    open: (file) =>
      Effect.fail(
        new JobFileUnavailable({ message: `No file store is configured to open ${file.location}.` })
      ),
    remove: (file) =>
      Effect.fail(
        new JobFileNotRemoved({
          message: `No file store is configured to remove ${file.location}; it was left in place.`
        })
      )
  })
}) {}
