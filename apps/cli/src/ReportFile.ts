import { once } from "node:events"
import { createWriteStream } from "node:fs"
import { type ImportJobId, jobReport } from "@xcontacts/domain"
import { Effect, Stream } from "effect"

/** Writes a job's report to `path`, or to stdout when there is none. */
export const writeReport = Effect.fnUntraced(function* (
  id: ImportJobId,
  failedOnly: boolean,
  path: string | null
) {
  const report = yield* jobReport(id, { failedOnly })
  const out = path === null ? process.stdout : createWriteStream(path)
  // A reader that stops early (`jobs report JOB | head`) closes the pipe: the report ends there,
  // which is no failure.
  let closed = false
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") closed = true
  }
  out.on("error", onError)
  yield* Stream.runForEach(report.pipe(Stream.takeWhile(() => !closed)), (line) =>
    Effect.promise(async () => {
      if (!out.write(line)) await once(out, "drain")
    }).pipe(Effect.catchDefect((defect) => (closed ? Effect.void : Effect.die(defect))))
  )
  out.off("error", onError)
  if (closed) return
  if (path !== null) {
    yield* Effect.promise(async () => {
      out.end()
      await once(out, "finish")
    })
  }
})
