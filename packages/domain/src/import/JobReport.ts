import { Effect, Stream } from "effect"
import { CsvFileError, readCsvRecords } from "../csv/CsvReader.ts"
import { type ImportJobId, wouldBe } from "../ImportJob.ts"
import { ImportJobStore } from "../ports/ImportJobStore.ts"
import type { RowRecord } from "../ports/ImportStore.ts"
import { JobFiles, JobFileUnavailable } from "../ports/JobFiles.ts"
import { reportHeader, reportRowLine } from "../report/ReportCsv.ts"
import type { CsvSource } from "./CsvSource.ts"
import { loadJob } from "./ImportFile.ts"

const page = 1000

/**
 * A validation's row as its report shows it: the ids it made up for the contact and the
 * organization it would create are left out, as nothing holds them.
 */
const plannedRow = (row: RowRecord): RowRecord => ({
  ...row,
  contactId: row.outcome === "created" ? null : row.contactId,
  organizationId: row.organizationEffect === "created" ? null : row.organizationId
})

/**
 * A job's report as CSV text, streamed: the file's own header and cells, then `line`,
 * `outcome`, `contact_id`, `organization_id` and `messages`, every cell neutralized for
 * spreadsheets. With `failedOnly`, only the rows that failed: fixed, that file imports again.
 * The report of a job whose file could not be read to its end ends where the reading did. A
 * validation's report (`wouldBe`) leaves out the ids of what it would create.
 * Fails with `ImportJobNotFound`, `JobFileUnavailable`, or when the store does.
 */
export const jobReport = Effect.fn("JobReport")(function* (
  id: ImportJobId,
  options: { readonly failedOnly: boolean; readonly source?: CsvSource }
) {
  const job = yield* loadJob(id)
  const planned = wouldBe(job)
  const store = yield* ImportJobStore
  const files = yield* JobFiles
  const source =
    options.source ??
    (job.file === null
      ? yield* new JobFileUnavailable({ message: `Import job "${id}" kept no file to report on.` })
      : yield* files.open(job.file, job.fileName))

  return Stream.fromEffect(Effect.void).pipe(
    Stream.flatMap(() => {
      const records = readCsvRecords(source.open(), {
        encoding: job.settings.encoding,
        delimiter: job.settings.delimiter
      })
      let width = -1
      let buffered: Array<RowRecord> = []
      let afterLine = 0
      let exhausted = false
      const rowAt = Effect.fnUntraced(function* (line: number) {
        while (true) {
          while (buffered.length > 0 && buffered[0]!.line < line) buffered.shift()
          if (buffered.length > 0 || exhausted) break
          const rows = yield* store.rows(id, afterLine, page)
          if (rows.length < page) exhausted = true
          if (rows.length > 0) afterLine = rows[rows.length - 1]!.line
          buffered = [...rows]
        }
        const first = buffered[0]
        return first !== undefined && first.line === line ? first : undefined
      })
      // The kept file is the one the job read (`JobFiles` checks it), so a read that fails here
      // failed the job at the same place: no row after it has an outcome, and the report ends.
      return Stream.fromAsyncIterable(records, (cause) => cause).pipe(
        Stream.catch((cause) => (cause instanceof CsvFileError ? Stream.empty : Stream.die(cause))),
        Stream.mapEffect(
          Effect.fnUntraced(function* (record) {
            if (width < 0) {
              if (record.cells.every((cell) => cell.trim() === "")) return ""
              width = record.cells.length
              return reportHeader(record.cells)
            }
            const row = yield* rowAt(record.line)
            if (row === undefined) return ""
            if (options.failedOnly && row.outcome !== "failed") return ""
            return reportRowLine(record.cells, width, planned ? plannedRow(row) : row)
          })
        ),
        Stream.filter((line) => line !== "")
      )
    })
  )
})
