import { DateTime, Effect, Fiber, Schema } from "effect"
import { CsvFileError, type CsvRecord, readCsvRecords } from "../csv/CsvReader.ts"
import { type HeaderMap, mapHeader, unreadableHeader } from "../csv/HeaderMap.ts"
import { type CheckedRow, checkRow, type RejectedRow, type RowResult } from "../csv/RowChecker.ts"
import {
  type CountersDraft,
  emptyCounters,
  type ImportCounters,
  type ImportJobId,
  type ImportProgress
} from "../ImportJob.ts"
import type { ImportSettings } from "../ImportSettings.ts"
import { isError, type Problem, problemError } from "../Problem.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { ImportLock } from "../ports/ImportLock.ts"
import {
  type ImportFound,
  ImportStore,
  type RecordTarget,
  storeTarget
} from "../ports/ImportStore.ts"
import { JobFileChanged } from "../ports/JobFiles.ts"
import type { StoreError } from "../ports/StoreError.ts"
import type { CsvSource } from "./CsvSource.ts"
import {
  chunkWrites,
  emptyInFileState,
  forgetChunk,
  type InFileState,
  lookupFor,
  planChunk,
  recallInto
} from "./ImportPlanner.ts"
import { OrganizationNameWatch } from "./OrganizationNameWatch.ts"
import { reportAware } from "./ReportColumns.ts"

/** The file could not be read to its end; the pass stopped and the job fails. */
export class FileRejected extends Schema.TaggedError<FileRejected>()("FileRejected", {
  problems: Schema.Array(Schema.Any)
}) {}

export const snapshot = (counters: CountersDraft): ImportCounters => ({
  ...counters,
  contacts: { ...counters.contacts },
  organizations: { ...counters.organizations }
})

const copyCounters = (counters: ImportCounters): CountersDraft => snapshot(counters)

/** Where a pass starts: from the top, or after an import pass's checkpoint with its counters. */
export interface PassStart {
  readonly checkpointLine: number
  readonly counters: ImportCounters
}

export interface PassOptions {
  readonly jobId: ImportJobId
  readonly file: CsvSource
  readonly settings: ImportSettings
  readonly mode: "validate" | "apply"
  readonly start: PassStart | null
  readonly chunkSize: number
  readonly onProgress: (progress: ImportProgress) => Effect.Effect<void>
}

/** How a pass ended: it read the whole file, or the job left its state (it was cancelled). */
export type PassResult =
  | { readonly _tag: "Done"; readonly counters: ImportCounters }
  | { readonly _tag: "Interrupted" }

const noneFound: ImportFound = {
  contacts: new Map(),
  organizations: new Map(),
  candidates: [],
  recalled: { firstLines: new Map(), organizationEffects: new Map() }
}

/** The largest file an import reads unless its settings say otherwise: 2 GiB. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3

/** The file is larger than the settings allow; nothing of it is written. */
class FileTooLarge extends Error {
  readonly limit: number
  constructor(limit: number) {
    super(`file over ${limit} bytes`)
    this.limit = limit
  }
}

/** Counts the bytes the reader has taken from the file, and stops it past the size limit. */
const counting = (file: CsvSource, progress: { bytesRead: number }, limit: number) =>
  (async function* () {
    for await (const bytes of file.open()) {
      progress.bytesRead += bytes.byteLength
      if (progress.bytesRead > limit) throw new FileTooLarge(limit)
      yield bytes
    }
  })()

/** The problem of a file whose reading stopped with `cause`. */
const readProblem = (cause: unknown): Problem => {
  if (cause instanceof CsvFileError) return cause.problem
  if (cause instanceof FileTooLarge) {
    return problemError(
      0,
      null,
      "FILE_TOO_LARGE",
      `The file is larger than the limit of ${cause.limit.toLocaleString("en")} bytes; split ` +
        "it into smaller files or raise the limit (--max-file-mb, or a profile's maxFileBytes)."
    )
  }
  if (cause instanceof JobFileChanged) {
    return problemError(
      0,
      null,
      "FILE_CHANGED",
      "The file changed while the job read it: it is shorter than when the job started, or its " +
        "SHA-256 differs. Import it again as a new job once it is complete."
    )
  }
  return problemError(0, null, "ENCODING_INVALID", `The file could not be read: ${cause}`)
}

/**
 * One pass over the file, chunk by chunk. Each chunk is planned against the store and committed
 * in one transaction with its row records (which hold the rows' problems), counters, progress and
 * checkpoint: `apply` with its writes, `validate` with its writes to the job's stage, which only
 * this pass sees. A pass that starts after a checkpoint skips the lines up to it and goes on from
 * the counters committed with it, so that the end state equals an uninterrupted pass. Fails with
 * `FileRejected` when the file cannot be read.
 */
const watchNames = (names: OrganizationNameWatch, row: RowResult): RowResult =>
  row._tag === "Checked" ? names.check(row) : row

export const runPass = Effect.fnUntraced(function* (options: PassOptions) {
  const store = yield* ImportStore
  const lock = yield* ImportLock
  const ids = yield* IdGenerator
  const { settings, mode, jobId } = options
  const checkpoint = options.start?.checkpointLine ?? 0
  const counters = options.start === null ? emptyCounters() : copyCounters(options.start.counters)
  const progress = { rowsProcessed: 0, bytesRead: 0 }
  const state: InFileState = emptyInFileState()
  const maxFileBytes = settings.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  const names = settings.organizationKey === "name" ? new OrganizationNameWatch() : null
  // The stamps of this pass's chunks, to tell a record this pass wrote from one written by
  // someone else since the pass began (`PlanContext.writtenElsewhere`): one per chunk.
  const startedAt = DateTime.formatIso(yield* DateTime.now)
  const ownStamps = new Set<string>()
  const writtenElsewhere = (updatedAt: string) =>
    updatedAt >= startedAt && !ownStamps.has(updatedAt)
  // Validation writes its records to the job's stage, which starts empty (a killed validation
  // starts again from the top) and is dropped when the pass ends; see docs/adr/0402.
  const target: RecordTarget = mode === "apply" ? storeTarget : { _tag: "Stage", jobId }
  if (mode === "validate") yield* store.dropStage(jobId)
  const records = readCsvRecords(counting(options.file, progress, maxFileBytes), {
    encoding: settings.encoding,
    delimiter: settings.delimiter
  })[Symbol.asyncIterator]()
  const next = Effect.tryPromise({
    try: () => records.next(),
    catch: (cause) => new FileRejected({ problems: [readProblem(cause)] })
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
    const unreadable = unreadableHeader(item.value)
    if (unreadable !== null) return yield* new FileRejected({ problems: [unreadable] })
    if (item.value.cells.every((cell) => cell.trim() === "")) continue
    headerRecord = item.value
    header = mapHeader(reportAware.headerCells(item.value.cells), item.value.line, settings)
  }
  const fileProblems = header.problems
  if (fileProblems.some(isError)) return yield* new FileRejected({ problems: [...fileProblems] })
  const report = reportAware.isReport(headerRecord?.cells ?? [])

  let pending: Array<RowResult> = []
  // The file's warnings are committed with the first chunk, and never again after a checkpoint.
  // Row problems travel in their row records only.
  let pendingFileProblems: ReadonlyArray<Problem> = checkpoint === 0 ? fileProblems : []
  if (checkpoint === 0) counters.warnings += fileProblems.length
  let lastLine = Math.max(checkpoint, headerRecord?.line ?? 1)
  let interrupted = false
  // The chunk being planned and committed while the next one is read and checked.
  let inFlight: Fiber.Fiber<void, StoreError> | null = null
  const settle = Effect.suspend(() => {
    const fiber = inFlight
    inFlight = null
    return fiber === null ? Effect.void : Fiber.join(fiber)
  })

  /**
   * Takes the rows read so far as a chunk and starts planning and committing it in a fiber of
   * its own, once the chunk before it has committed: the next chunk's planner must find this one
   * in the store. The pass goes on reading meanwhile.
   */
  const flush = Effect.fnUntraced(function* () {
    yield* settle
    if (interrupted) return
    const chunk = pending
    const chunkFileProblems = pendingFileProblems
    const chunkProgress = { ...progress }
    const chunkLastLine = lastLine
    pending = []
    pendingFileProblems = []
    // The chunk's rows in file order, blank ones counted and left out.
    const rows: Array<CheckedRow | RejectedRow> = []
    let lookupNeeded = false
    for (const row of chunk) {
      if (row._tag === "Blank") {
        counters.rowsBlank++
        continue
      }
      rows.push(row)
      counters.rowsTotal++
      if (row._tag === "Checked" || row.organizationWithoutName !== undefined) lookupNeeded = true
      if (row._tag === "Checked") continue
      counters.rowsFailed++
      counters.warnings += row.problems.filter((problem) => !isError(problem)).length
    }
    const planAndCommit = Effect.gen(function* () {
      const found = lookupNeeded
        ? yield* store.resolve(lookupFor(rows, settings, jobId), target)
        : noneFound
      forgetChunk(state)
      recallInto(state, found.recalled)
      const now = DateTime.formatIso(yield* DateTime.now)
      const plan = planChunk(rows, found, state, counters, {
        settings,
        now,
        newId: (kind) => ids.next(kind),
        writtenElsewhere
      })
      ownStamps.add(now)
      const job = {
        id: jobId,
        state: mode === "apply" ? ("importing" as const) : ("validating" as const),
        counters: snapshot(counters),
        checkpointLine: mode === "apply" ? chunkLastLine : 0,
        progress: chunkProgress
      }
      const committed = yield* store.commit(
        chunkWrites(plan, target, settings, job, chunkFileProblems)
      )
      if (!committed) interrupted = true
    })
    const work = Effect.gen(function* () {
      // Validation writes nothing others see, so only the import pass must keep other imports of
      // the division from committing between this chunk's resolve and commit (docs/adr/0300).
      if (chunk.length > 0 || chunkFileProblems.length > 0) {
        yield* mode === "apply"
          ? lock.withDivision(settings.division, planAndCommit)
          : planAndCommit
      }
      yield* options.onProgress({ ...chunkProgress })
    })
    inFlight = yield* Effect.forkChild(work, { startImmediately: true })
  })
  // A read that fails waits for the chunk in flight, so that what was read before the failure is
  // committed (or its own failure reported) first, as when chunks ran one after the other.
  const read = next.pipe(
    Effect.catchCause((cause) => Effect.andThen(settle, Effect.failCause(cause)))
  )

  while (!interrupted) {
    const item = yield* read
    if (item.done) break
    progress.rowsProcessed++
    const record = report ? reportAware.recordOf(item.value, headerRecord!.cells) : item.value
    if (item.value.line <= checkpoint) {
      // Rows before the checkpoint are committed; the name watch still learns their spellings.
      if (names !== null) watchNames(names, checkRow(record, header, settings))
      continue
    }
    lastLine = item.value.line
    const row = checkRow(record, header, settings)
    pending.push(names === null ? row : watchNames(names, row))
    if (pending.length >= options.chunkSize) yield* flush()
  }
  if (!interrupted) yield* flush()
  yield* settle
  yield* Effect.promise(async () => {
    await records.return?.()
  })
  return interrupted
    ? ({ _tag: "Interrupted" } satisfies PassResult)
    : ({ _tag: "Done", counters: snapshot(counters) } satisfies PassResult)
})
