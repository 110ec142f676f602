import {
  emptyCounters,
  emptyProgress,
  type ImportCounters,
  type ImportJob,
  type ImportJobId,
  type ImportJobState,
  ImportJobStore,
  type ImportSettings,
  PROBLEM_PREVIEW_SIZE,
  type Problem,
  problemPage,
  problemPreview,
  type RowRecord
} from "@xcontacts/domain"
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm"
import { Effect, Layer, Option } from "effect"
import { batches, batchSize } from "./Batches.ts"
import { Database, type Db } from "./Database.ts"
import { importJobs, importProblems, importRows } from "./DbSchema.ts"
import { dropStage } from "./ImportStageDrizzle.ts"
import { changedRows, iso } from "./Rows.ts"

type JobRow = typeof importJobs.$inferSelect

/** Deletes a job's row records and problems, in the caller's transaction; returns how many. */
const deleteJobRows = async (tx: Db, jobId: string): Promise<number> =>
  changedRows(await tx.delete(importRows).where(eq(importRows.jobId, jobId))) +
  changedRows(await tx.delete(importProblems).where(eq(importProblems.jobId, jobId)))

/**
 * Makes the space of deleted row records reusable. PGlite has no autovacuum: without this every
 * deleted or re-run job stayed in the data folder as dead rows (15,000-row imports, each job
 * deleted after: 174 → 200 → 229 → 258 MB), and the next import wrote past them. The cost
 * follows what was deleted: pages untouched since the last vacuum are skipped, and so are the
 * indexes when the dead rows are few (`INDEX_CLEANUP` auto). Outside a transaction.
 */
const vacuumJobRows = (db: Db) => db.execute(sql`vacuum ${importRows}, ${importProblems}`)
type ProblemRow = typeof importProblems.$inferSelect

const toProblem = (row: ProblemRow): Problem => ({
  line: row.line,
  column: row.column,
  code: row.code as Problem["code"],
  severity: row.severity as Problem["severity"],
  message: row.message
})

const toJob = (row: JobRow, problems: ReadonlyArray<Problem>): ImportJob => ({
  id: row.id as ImportJobId,
  state: row.state as ImportJobState,
  fileName: row.fileName,
  file: row.file ?? null,
  autoContinue: row.autoContinue,
  progress: row.progress,
  checkpointLine: row.checkpointLine,
  settings: row.settings as ImportSettings,
  counters: row.counters as ImportCounters,
  problems,
  problemCount: row.problemCount,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt)
})

/** Rows that have problems: the predicate of `import_rows_problems_idx`, so that it is used. */
const hasProblems = sql`${importRows.problems} <> '[]'::jsonb`

/** The problems of the job's file itself after a line, by line; a file has only a few. */
const fileProblems = async (db: Db, jobIds: ReadonlyArray<string>, afterLine = -1) =>
  db
    .select()
    .from(importProblems)
    .where(and(inArray(importProblems.jobId, [...jobIds]), gt(importProblems.line, afterLine)))
    .orderBy(asc(importProblems.line), asc(importProblems.id))

/**
 * The first row problems of each job: the problems of its first `PROBLEM_PREVIEW_SIZE` rows that
 * have any, through the partial index, so that a job costs as much to read with a million
 * problems as with a hundred.
 */
const firstRowProblems = async (db: Db, jobIds: ReadonlyArray<string>) => {
  const result = await db.execute(sql`select j.id as job_id, r.problems
    from unnest(${sql.param([...jobIds])}::text[]) as j(id)
    cross join lateral (
      select ${importRows.line}, ${importRows.problems} from ${importRows}
      where ${importRows.jobId} = j.id and ${hasProblems}
      order by ${importRows.line} limit ${PROBLEM_PREVIEW_SIZE}
    ) r
    order by j.id, r.line`)
  // Both drivers (node-postgres and PGlite) answer with `{ rows }`, jsonb parsed.
  const rows = (result as unknown as { rows: Array<{ job_id: string; problems: Array<Problem> }> })
    .rows
  const byJob = new Map<string, Array<Problem>>()
  for (const row of rows) {
    const problems = byJob.get(row.job_id) ?? []
    problems.push(...row.problems)
    byJob.set(row.job_id, problems)
  }
  return byJob
}

const loadJobs = async (db: Db, rows: ReadonlyArray<JobRow>) => {
  if (rows.length === 0) return []
  const ids = rows.map((row) => row.id)
  const files = await fileProblems(db, ids)
  const firstRows = await firstRowProblems(db, ids)
  return rows.map((row) =>
    toJob(
      row,
      problemPreview(
        files.filter((problem) => problem.jobId === row.id).map(toProblem),
        firstRows.get(row.id) ?? []
      )
    )
  )
}

/**
 * A page of the job's problems after a line: up to `limit` rows that have problems (at least
 * `limit` problems) and the file's own problems up to the last of those rows.
 */
const problemsAfter = async (db: Db, jobId: string, afterLine: number, limit: number) => {
  const rows = await db
    .select({ line: importRows.line, problems: importRows.problems })
    .from(importRows)
    .where(and(eq(importRows.jobId, jobId), gt(importRows.line, afterLine), hasProblems))
    .orderBy(asc(importRows.line))
    .limit(limit)
  const last = rows.at(-1)
  const lastLine =
    last !== undefined && rows.length === limit ? last.line : Number.POSITIVE_INFINITY
  const files = (await fileProblems(db, [jobId], afterLine))
    .filter((problem) => problem.line <= lastLine)
    .map(toProblem)
  return problemPage(
    files,
    rows.flatMap((row) => row.problems),
    limit
  )
}

const insertProblems = async (db: Db, jobId: string, problems: ReadonlyArray<Problem>) => {
  for (const batch of batches(problems, batchSize(7))) {
    await db.insert(importProblems).values(batch.map((problem) => ({ ...problem, jobId })))
  }
}

/**
 * Import jobs in PGlite or PostgreSQL through Drizzle: the problems of a job's file in
 * `import_problems`, its rows' problems in their row records, and their number on the job.
 */
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
            problemCount: job.problems.length,
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
              .set({
                state: job.state,
                counters: job.counters,
                problemCount: sql`${importJobs.problemCount} + ${newProblems.length}`,
                updatedAt: job.updatedAt
              })
              .where(eq(importJobs.id, job.id))
            await insertProblems(tx as unknown as Db, job.id, newProblems)
          })
        ),
      transition: (id, transition) =>
        database.query(async (db) => {
          let discarded = 0
          const moved = await db.transaction(async (tx) => {
            const reset = transition.reset === true
            const discard = reset || transition.discardRows === true
            const added = transition.problems?.length ?? 0
            const moved = await tx
              .update(importJobs)
              .set({
                state: transition.to,
                ...(reset
                  ? { counters: emptyCounters(), progress: emptyProgress(), checkpointLine: 0 }
                  : {}),
                ...(transition.counters === undefined ? {} : { counters: transition.counters }),
                problemCount: discard ? added : sql`${importJobs.problemCount} + ${added}`,
                updatedAt: sql`now()`
              })
              .where(and(eq(importJobs.id, id), inArray(importJobs.state, [...transition.from])))
              .returning({ id: importJobs.id })
            if (moved.length === 0) return false
            if (discard) {
              discarded = await deleteJobRows(tx as unknown as Db, id)
            } else if (transition.dropFileErrors === true) {
              const dropped = await tx
                .delete(importProblems)
                .where(and(eq(importProblems.jobId, id), eq(importProblems.severity, "error")))
                .returning({ line: importProblems.line })
              await tx
                .update(importJobs)
                .set({ problemCount: sql`${importJobs.problemCount} - ${dropped.length}` })
                .where(eq(importJobs.id, id))
            }
            await insertProblems(tx as unknown as Db, id, transition.problems ?? [])
            return true
          })
          if (discarded > 0) await vacuumJobRows(db)
          return moved
        }),
      // The job's row records and problems go with it; its stage has no foreign key
      // (docs/adr/0601) and is dropped in the same transaction.
      remove: (id, from) =>
        database.query(async (db) => {
          let deleted = 0
          const removed = await db.transaction(async (tx) => {
            const job = await tx
              .select({ id: importJobs.id })
              .from(importJobs)
              .where(and(eq(importJobs.id, id), inArray(importJobs.state, [...from])))
              .for("update")
            if (job.length === 0) return false
            deleted = await deleteJobRows(tx as unknown as Db, id)
            await tx.delete(importJobs).where(eq(importJobs.id, id))
            await dropStage(tx as unknown as Db, id)
            return true
          })
          if (deleted > 0) await vacuumJobRows(db)
          return removed
        }),
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
      problems: (id, afterLine, limit) =>
        database.query((db) => problemsAfter(db, id, afterLine, limit)),
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
