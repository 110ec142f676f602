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
 * and checksum are still those the job started with. Fails with `JobFileUnavailable` when the
 * file is missing or changed. The default knows no files: adapters replace it in the apps.
 */
export class JobFiles extends Context.Reference<{
  readonly open: (
    file: JobFile,
    name: string | null
  ) => Effect.Effect<CsvSource, JobFileUnavailable>
}>("@xcontacts/domain/ports/JobFiles", {
  defaultValue: () => ({
    open: (file) =>
      Effect.fail(
        new JobFileUnavailable({ message: `No file store is configured to open ${file.location}.` })
      )
  })
}) {}
