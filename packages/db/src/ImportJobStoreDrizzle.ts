import {
  emptyCounters,
  emptyProgress,
  type ImportCounters,
  type ImportJob,
  type ImportJobId,
  type ImportJobState,
  ImportJobStore,
  type ImportSettings,
  type Problem,
  type RowRecord
} from "@xcontacts/domain"
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm"
import { Effect, Layer, Option } from "effect"
import { batches, batchSize } from "./Batches.ts"
import { Database, type Db } from "./Database.ts"
import { importJobs, importProblems, importRows } from "./DbSchema.ts"
import { iso } from "./Rows.ts"

type JobRow = typeof importJobs.$inferSelect
type ProblemRow = typeof importProblems.$inferSelect

const toProblem = (row: ProblemRow): Problem => ({
  line: row.line,
  column: row.column,
  code: row.code as Problem["code"],
  severity: row.severity as Problem["severity"],
  message: row.message
})

const toJob = (row: JobRow, problems: ReadonlyArray<ProblemRow>): ImportJob => ({
  id: row.id as ImportJobId,
  state: row.state as ImportJobState,
  fileName: row.fileName,
  file: row.file ?? null,
  autoContinue: row.autoContinue,
  progress: row.progress,
  checkpointLine: row.checkpointLine,
  settings: row.settings as ImportSettings,
  counters: row.counters as ImportCounters,
  problems: problems.map(toProblem),
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt)
})

const loadJobs = async (db: Db, rows: ReadonlyArray<JobRow>) => {
  if (rows.length === 0) return []
  const problems = await db
    .select()
    .from(importProblems)
    .where(
      inArray(
        importProblems.jobId,
        rows.map((row) => row.id)
      )
    )
    .orderBy(asc(importProblems.line), asc(importProblems.id))
  return rows.map((row) =>
    toJob(
      row,
      problems.filter((problem) => problem.jobId === row.id)
    )
  )
}

const insertProblems = async (db: Db, jobId: string, problems: ReadonlyArray<Problem>) => {
  for (const batch of batches(problems, batchSize(7))) {
    await db.insert(importProblems).values(batch.map((problem) => ({ ...problem, jobId })))
  }
}

/** Import jobs and their problems in PGlite or PostgreSQL through Drizzle. */
export const ImportJobStoreDrizzle = Layer.effect(
  ImportJobStore,
  Effect.gen(function* () {
    const database = yield* Database
    return ImportJobStore.of({
      create: (job) =>
        database.query(async (db) => {
          await db.insert(importJobs).values({
            id: job.id,
            state: job.state,
            fileName: job.fileName,
            file: job.file,
            autoContinue: job.autoContinue,
            progress: job.progress,
            checkpointLine: job.checkpointLine,
            settings: job.settings,
            counters: job.counters,
            createdAt: job.createdAt,
            updatedAt: job.updatedAt
          })
          await insertProblems(db, job.id, job.problems)
        }),
      update: (job, newProblems) =>
        database.query((db) =>
          db.transaction(async (tx) => {
            await tx
              .update(importJobs)
              .set({ state: job.state, counters: job.counters, updatedAt: job.updatedAt })
              .where(eq(importJobs.id, job.id))
            await insertProblems(tx as unknown as Db, job.id, newProblems)
          })
        ),
      transition: (id, transition) =>
        database.query((db) =>
          db.transaction(async (tx) => {
            const reset = transition.reset === true
            const moved = await tx
              .update(importJobs)
              .set({
                state: transition.to,
                ...(reset
                  ? { counters: emptyCounters(), progress: emptyProgress(), checkpointLine: 0 }
                  : {}),
                ...(transition.counters === undefined ? {} : { counters: transition.counters }),
                updatedAt: sql`now()`
              })
              .where(and(eq(importJobs.id, id), inArray(importJobs.state, [...transition.from])))
              .returning({ id: importJobs.id })
            if (moved.length === 0) return false
            if (reset) {
              await tx.delete(importRows).where(eq(importRows.jobId, id))
              await tx.delete(importProblems).where(eq(importProblems.jobId, id))
            }
            await insertProblems(tx as unknown as Db, id, transition.problems ?? [])
            return true
          })
        ),
      rows: (id, afterLine, limit) =>
        database.query(async (db) => {
          const rows = await db
            .select()
            .from(importRows)
            .where(and(eq(importRows.jobId, id), gt(importRows.line, afterLine)))
            .orderBy(asc(importRows.line))
            .limit(limit)
          return rows.map(
            (row): RowRecord => ({
              line: row.line,
              outcome: row.outcome as RowRecord["outcome"],
              contactId: row.contactId,
              organizationId: row.organizationId,
              externalId: row.externalId,
              organizationKey: row.organizationKey,
              organizationEffect: row.organizationEffect as RowRecord["organizationEffect"],
              problems: row.problems
            })
          )
        }),
      get: (id) =>
        database.query(async (db) => {
          const rows = await db.select().from(importJobs).where(eq(importJobs.id, id))
          return Option.fromUndefinedOr((await loadJobs(db, rows))[0])
        }),
      list: (limit) =>
        database.query(async (db) =>
          loadJobs(
            db,
            await db.select().from(importJobs).orderBy(desc(importJobs.createdAt)).limit(limit)
          )
        )
    })
  })
)
