import {
  type ImportCounters,
  type ImportJob,
  type ImportJobId,
  type ImportJobState,
  ImportJobStore,
  type ImportSettings,
  type Problem
} from "@xcontacts/domain"
import { asc, desc, eq, inArray } from "drizzle-orm"
import { Effect, Layer, Option } from "effect"
import { batches, batchSize } from "./Batches.ts"
import { Database, type Db } from "./Database.ts"
import { importJobs, importProblems } from "./DbSchema.ts"
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
