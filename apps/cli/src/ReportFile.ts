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
  yield* Stream.runForEach(report, (line) =>
    Effect.promise(async () => {
      if (!out.write(line)) await once(out, "drain")
    })
  )
  if (path !== null) {
    yield* Effect.promise(async () => {
      out.end()
      await once(out, "finish")
    })
  }
})
