import type { ImportJob } from "@xcontacts/domain"

/** The documented exit codes of the `xcontacts` command. */
export const ExitCode = {
  /** Everything asked for was done. */
  success: 0,
  /** A failure of the store or the program itself. */
  failure: 1,
  /** The command line was wrong: unknown command, flag or value. */
  usage: 2,
  /** The import completed, but some rows failed and were not written. */
  rowsFailed: 3,
  /** The file was rejected as a whole (unreadable, no header, no key column): nothing written. */
  fileRejected: 4
} as const

/** The exit code of a command that ran an import job to where it stopped. */
export const exitCodeOf = (job: ImportJob): number =>
  job.state === "failed"
    ? ExitCode.fileRejected
    : job.state === "cancelled"
      ? ExitCode.failure
      : job.counters.rowsFailed > 0
        ? ExitCode.rowsFailed
        : ExitCode.success
