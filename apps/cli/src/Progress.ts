import type { ImportJobId, ImportProgress } from "@xcontacts/domain"
import { Effect } from "effect"

const bar = (fraction: number, width = 24) => {
  const done = Math.round(Math.min(1, Math.max(0, fraction)) * width)
  return `[${"#".repeat(done)}${".".repeat(width - done)}]`
}

/**
 * What the CLI does after each committed chunk: a debug log with the job's progress, and on a
 * terminal a one-line bar on stderr with rows, rate and the share of the file read.
 */
export const progressReporter = (fileSize: number) => {
  const terminal = process.stderr.isTTY === true
  let started = Date.now()
  let phase = ""
  return (jobId: ImportJobId, state: string, progress: ImportProgress) =>
    Effect.gen(function* () {
      yield* Effect.logDebug("chunk committed").pipe(
        Effect.annotateLogs({
          job: jobId,
          state,
          rows: progress.rowsProcessed,
          bytes: progress.bytesRead
        })
      )
      if (!terminal) return
      if (state !== phase) {
        if (phase !== "") process.stderr.write("\n")
        phase = state
        started = Date.now()
      }
      const seconds = Math.max(0.001, (Date.now() - started) / 1000)
      const rate = Math.round(progress.rowsProcessed / seconds)
      const fraction = fileSize > 0 ? progress.bytesRead / fileSize : 0
      process.stderr.write(
        `\r${state.padEnd(10)} ${bar(fraction)} ${progress.rowsProcessed} rows ${rate} rows/s`
      )
    })
}

/** Ends the progress line, if one was drawn. */
export const endProgress = () => {
  if (process.stderr.isTTY === true) process.stderr.write("\n")
}
