import type { ImportJob } from "@xcontacts/domain"
import { Console, Effect } from "effect"

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

/** Prints a usage problem on stderr and sets the documented exit code. */
export const usage = (message: string) =>
  Console.error(message).pipe(
    Effect.andThen(Effect.sync(() => (process.exitCode = ExitCode.usage)))
  )

/** The usage problem of a flag's value longer than the field takes, as the import rejects it. */
export const tooLong = (flag: string, value: string, maxLength: number | null) =>
  maxLength !== null && value.length > maxLength
    ? `--${flag} is ${value.length} characters long; it takes at most ${maxLength}`
    : null
