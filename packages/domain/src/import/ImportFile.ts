import { DateTime, Effect, Schema } from "effect"
import { CsvFileError, type CsvRecord, readCsvRecords } from "../csv/CsvReader.ts"
import { type HeaderMap, mapHeader } from "../csv/HeaderMap.ts"
import { type CheckedRow, checkRow, type RowResult } from "../csv/RowChecker.ts"
import {
  type CountersDraft,
  emptyCounters,
  type ImportCounters,
  type ImportJob,
  type ImportJobId,
  type ImportJobState
} from "../ImportJob.ts"
import type { ImportSettings } from "../ImportSettings.ts"
import { isError, type Problem, problemError } from "../Problem.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { ImportJobStore } from "../ports/ImportJobStore.ts"
import { ImportLock } from "../ports/ImportLock.ts"
import { type ImportFound, ImportStore } from "../ports/ImportStore.ts"
import {
  chunkWrites,
  emptyInFileState,
  type InFileState,
  lookupFor,
  planChunk
} from "./ImportPlanner.ts"

/** A CSV file that can be read from the start as often as needed (validation, then import). */
export interface CsvSource {
  readonly name: string | null
  readonly open: () => AsyncIterable<Uint8Array>
}

export interface ImportRequest {
  readonly file: CsvSource
  readonly settings: ImportSettings
  /** Validate only: run every check and merge decision, write nothing but the job. */
  readonly dryRun: boolean
  readonly chunkSize?: number
}

/** The file could not be read to its end; the job failed and nothing of the file was written. */
class FileRejected extends Schema.TaggedError<FileRejected>()("FileRejected", {
  problems: Schema.Array(Schema.Any)
}) {}

const snapshot = (counters: CountersDraft): ImportCounters => ({
  ...counters,
  contacts: { ...counters.contacts },
  organizations: { ...counters.organizations }
})

/**
 * Imports one CSV file: validates it completely first (a dry run with the same checks and merge
 * decisions), then, unless asked for a dry run, applies it chunk by chunk, each chunk committed
 * with the job's counters and checkpoint. A file that cannot be read ends the job `failed` with
 * nothing written. Fails only when the store does.
 */
export const importFile = Effect.fn("ImportFile")(function* (request: ImportRequest) {
  const jobs = yield* ImportJobStore
  const ids = yield* IdGenerator
  const createdAt = DateTime.formatIso(yield* DateTime.now)

  let job: ImportJob = {
    id: ids.next("job") as ImportJobId,
    state: "validating",
    fileName: request.file.name,
    settings: request.settings,
    counters: emptyCounters(),
    problems: [],
    createdAt,
    updatedAt: createdAt
  }
  yield* jobs.create(job)

  const finish = Effect.fnUntraced(function* (
    state: ImportJobState,
    counters: ImportCounters,
    problems: ReadonlyArray<Problem>,
    newProblems: ReadonlyArray<Problem>
  ) {
    const updatedAt = DateTime.formatIso(yield* DateTime.now)
    job = { ...job, state, counters, problems, updatedAt }
    yield* jobs.update(job, newProblems)
    return job
  })

  const validation = yield* runPass(request, job.id, "validate").pipe(
    Effect.catchTag("FileRejected", (rejected) =>
      Effect.succeed({
        counters: emptyCounters(),
        problems: rejected.problems as Array<Problem>,
        rejected: true
      })
    )
  )
  if (validation.rejected) {
    return yield* finish(
      "failed",
      snapshot(validation.counters),
      validation.problems,
      validation.problems
    )
  }
  if (request.dryRun) {
    return yield* finish(
      "validated",
      snapshot(validation.counters),
      validation.problems,
      validation.problems
    )
  }

  job = { ...job, state: "importing" }
  yield* jobs.update(job, [])
  const applied = yield* runPass(request, job.id, "apply").pipe(
    Effect.catchTag("FileRejected", (rejected) =>
      Effect.succeed({
        counters: emptyCounters(),
        problems: rejected.problems as Array<Problem>,
        rejected: true
      })
    )
  )
  return yield* finish(
    applied.rejected ? "failed" : "completed",
    snapshot(applied.counters),
    applied.problems,
    applied.rejected ? applied.problems : []
  )
})

const noneFound: ImportFound = { contacts: new Map(), organizations: new Map(), candidates: [] }

interface PassResult {
  readonly counters: CountersDraft
  readonly problems: Array<Problem>
  readonly rejected: boolean
}

/**
 * One pass over the file. `validate` plans every chunk against the store and writes nothing;
 * `apply` commits each chunk's writes, problems, counters and checkpoint in one transaction.
 */
const runPass = Effect.fnUntraced(function* (
  request: ImportRequest,
  jobId: ImportJobId,
  mode: "validate" | "apply"
) {
  const store = yield* ImportStore
  const lock = yield* ImportLock
  const ids = yield* IdGenerator
  const settings = request.settings
  const chunkSize = request.chunkSize ?? 1000
  const counters = emptyCounters()
  const problems: Array<Problem> = []
  const state: InFileState = emptyInFileState()
  const records = readCsvRecords(request.file.open(), {
    encoding: settings.encoding,
    delimiter: settings.delimiter
  })[Symbol.asyncIterator]()
  const next = Effect.tryPromise({
    try: () => records.next(),
    catch: (cause) =>
      new FileRejected({
        problems: [
          cause instanceof CsvFileError
            ? cause.problem
            : problemError(
                0,
                null,
                "ENCODING_INVALID",
                `The file could not be read: ${String(cause)}`
              )
        ]
      })
  })

  let header: HeaderMap | null = null
  let headerRecord: CsvRecord | null = null
  while (header === null) {
    const item = yield* next
    if (item.done) {
      return yield* new FileRejected({
        problems: [
          problemError(1, null, "FILE_EMPTY", "The file is empty: it has no header and no rows.")
        ]
      })
    }
    if (item.value.cells.every((cell) => cell.trim() === "")) continue
    headerRecord = item.value
    header = mapHeader(item.value.cells, item.value.line, settings)
  }
  const fileProblems = header.problems
  if (fileProblems.some(isError)) return yield* new FileRejected({ problems: [...fileProblems] })
  // The apply pass commits the file's warnings with its first chunk and collects them there.
  if (mode === "validate") problems.push(...fileProblems)
  counters.warnings += fileProblems.length

  let pending: Array<RowResult> = []
  let pendingProblems: Array<Problem> = mode === "apply" ? [...fileProblems] : []
  let lastLine = headerRecord?.line ?? 1

  const flush = Effect.fnUntraced(function* () {
    const checked: Array<CheckedRow> = []
    for (const row of pending) {
      if (row._tag === "Checked") {
        checked.push(row)
        continue
      }
      if (row._tag === "Blank") {
        counters.rowsBlank++
        continue
      }
      counters.rowsTotal++
      counters.rowsFailed++
      counters.warnings += row.problems.filter((problem) => !isError(problem)).length
      pendingProblems.push(...row.problems)
    }
    counters.rowsTotal += checked.length
    const planAndCommit = Effect.gen(function* () {
      const found =
        checked.length > 0 ? yield* store.resolve(lookupFor(checked, settings)) : noneFound
      const now = DateTime.formatIso(yield* DateTime.now)
      const plan = planChunk(checked, found, state, counters, {
        settings,
        now,
        newId: (kind) => ids.next(kind)
      })
      for (const outcome of plan.outcomes) pendingProblems.push(...outcome.problems)
      pendingProblems.sort((a, b) => a.line - b.line)
      if (mode === "apply" && pending.length > 0) {
        const job = {
          id: jobId,
          state: "importing" as const,
          counters: snapshot(counters),
          checkpointLine: lastLine
        }
        yield* store.commit(chunkWrites(plan, settings, job, pendingProblems))
        state.contacts.clear()
        state.organizations.clear()
      }
    })
    // Applying, another import must not commit to the division between this resolve and commit,
    // or the plan would rest on stale records (see docs/adr/0300).
    yield* mode === "apply" ? lock.withDivision(settings.division, planAndCommit) : planAndCommit
    problems.push(...pendingProblems)
    pending = []
    pendingProblems = []
  })

  while (true) {
    const item = yield* next
    if (item.done) break
    lastLine = item.value.line
    pending.push(checkRow(item.value, header, settings))
    if (pending.length >= chunkSize) yield* flush()
  }
  yield* flush()
  return { counters, problems, rejected: false } satisfies PassResult
})
