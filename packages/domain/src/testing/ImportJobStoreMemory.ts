import { Effect, Layer, Option } from "effect"
import {
  emptyCounters,
  emptyProgress,
  type ImportJob,
  problemPage,
  problemPreview
} from "../ImportJob.ts"
import type { Problem } from "../Problem.ts"
import { ImportJobStore } from "../ports/ImportJobStore.ts"
import { MemoryDatabase, type Tables, transaction } from "./MemoryTables.ts"

const byLine = (problems: ReadonlyArray<Problem>) => problems.toSorted((a, b) => a.line - b.line)

/** The problems of a job's row records, by line. */
const rowProblems = (tables: Tables, id: string): Array<Problem> =>
  [...(tables.jobRows.get(id)?.values() ?? [])]
    .toSorted((a, b) => a.line - b.line)
    .flatMap((row) => row.problems)

/** A job as the Drizzle adapter reads it: a preview of its problems and their number. */
const jobOf = (tables: Tables, id: string): ImportJob | undefined => {
  const entry = tables.jobs.get(id)
  if (entry === undefined) return undefined
  const rows = rowProblems(tables, id)
  return {
    ...entry.job,
    problems: problemPreview(byLine(entry.fileProblems), rows),
    problemCount: entry.fileProblems.length + rows.length
  }
}

/** Import jobs, their file's problems and their row records on the in-memory tables. */
export const ImportJobStoreMemory = Layer.effect(
  ImportJobStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    return ImportJobStore.of({
      create: (job) =>
        transaction(database, (tables) => {
          tables.jobs.set(job.id, { job, fileProblems: job.problems })
        }),
      update: (job, newProblems) =>
        transaction(database, (tables) => {
          const problems = tables.jobs.get(job.id)?.fileProblems ?? []
          tables.jobs.set(job.id, { job, fileProblems: [...problems, ...newProblems] })
        }),
      transition: (id, transition) =>
        transaction(database, (tables, now) => {
          const entry = tables.jobs.get(id)
          if (entry === undefined || !transition.from.includes(entry.job.state)) return false
          const reset = transition.reset === true
          const discard = reset || transition.discardRows === true
          if (discard) tables.jobRows.delete(id)
          tables.jobs.set(id, {
            job: {
              ...entry.job,
              state: transition.to,
              ...(reset ? { counters: emptyCounters(), progress: emptyProgress() } : {}),
              ...(reset ? { checkpointLine: 0 } : {}),
              ...(transition.counters === undefined ? {} : { counters: transition.counters }),
              updatedAt: now
            },
            fileProblems: [
              ...(discard
                ? []
                : transition.dropFileErrors === true
                  ? entry.fileProblems.filter((problem) => problem.severity !== "error")
                  : entry.fileProblems),
              ...(transition.problems ?? [])
            ]
          })
          return true
        }),
      remove: (id, from) =>
        transaction(database, (tables) => {
          const entry = tables.jobs.get(id)
          if (entry === undefined || !from.includes(entry.job.state)) return false
          tables.jobs.delete(id)
          tables.jobRows.delete(id)
          tables.stages.delete(id)
          return true
        }),
      rows: (id, afterLine, limit) =>
        transaction(database, (tables) =>
          [...(tables.jobRows.get(id)?.values() ?? [])]
            .filter((row) => row.line > afterLine)
            .toSorted((a, b) => a.line - b.line)
            .slice(0, limit)
        ),
      problems: (id, afterLine, limit) =>
        transaction(database, (tables) => {
          const after = (problem: Problem) => problem.line > afterLine
          return problemPage(
            byLine(tables.jobs.get(id)?.fileProblems ?? []).filter(after),
            rowProblems(tables, id).filter(after),
            limit
          )
        }),
      get: (id) => transaction(database, (tables) => Option.fromUndefinedOr(jobOf(tables, id))),
      list: (limit) =>
        transaction(database, (tables) =>
          [...tables.jobs.values()]
            .toSorted((a, b) => (a.job.createdAt < b.job.createdAt ? 1 : -1))
            .slice(0, limit)
            .map((entry) => jobOf(tables, entry.job.id)!)
        )
    })
  })
)
