import { type ChunkWrites, type Contact, ImportStore, type Organization } from "@xcontacts/domain"
import { and, eq, getTableColumns, or, type SQL, sql } from "drizzle-orm"
import type { PgTable } from "drizzle-orm/pg-core"
import { Effect, Layer } from "effect"
import { anyOf } from "./AnyOf.ts"
import { lookupChunk } from "./ChunkLookup.ts"
import { Database, type Db } from "./Database.ts"
import {
  contactExternalIds,
  contactMerges,
  contacts,
  divisions,
  externalSources,
  importJobs,
  importProblems,
  importRows,
  organizationExternalIds,
  organizations
} from "./DbSchema.ts"
import { insertJson, type Upsert } from "./JsonRows.ts"
import {
  fromContact,
  fromOrganization,
  groupExternalIds,
  toContact,
  toOrganization
} from "./Rows.ts"

const notUpdated = new Set(["id", "createdAt", "mergedIntoId"])

/** Upsert by id, setting every column but the key, the creation time and merge marks. */
const upsertById = (table: PgTable): Upsert => ({
  target: "id",
  update: Object.keys(getTableColumns(table)).filter((field) => !notUpdated.has(field))
})

const contactUpsert = upsertById(contacts)
const organizationUpsert = upsertById(organizations)

const loadContacts = async (db: Db, ids: ReadonlyArray<string>): Promise<Map<string, Contact>> => {
  if (ids.length === 0) return new Map()
  const [rows, externalIds] = await Promise.all([
    db.select().from(contacts).where(anyOf(contacts.id, ids)),
    db.select().from(contactExternalIds).where(anyOf(contactExternalIds.contactId, ids))
  ])
  const byContact = groupExternalIds(externalIds, (row) => row.contactId)
  return new Map(rows.map((row) => [row.id, toContact(row, byContact.get(row.id) ?? [])]))
}

const loadOrganizations = async (
  db: Db,
  ids: ReadonlyArray<string>
): Promise<Map<string, Organization>> => {
  if (ids.length === 0) return new Map()
  const [rows, externalIds] = await Promise.all([
    db.select().from(organizations).where(anyOf(organizations.id, ids)),
    db
      .select()
      .from(organizationExternalIds)
      .where(anyOf(organizationExternalIds.organizationId, ids))
  ])
  const byOrganization = groupExternalIds(externalIds, (row) => row.organizationId)
  return new Map(rows.map((row) => [row.id, toOrganization(row, byOrganization.get(row.id) ?? [])]))
}

/** Thrown inside a commit to roll it back when the job has left the chunk's state. */
class JobMoved extends Error {}

const commit = (db: Db, writes: ChunkWrites): Promise<boolean> =>
  db
    .transaction(async (tx) => {
      const moved = await tx
        .update(importJobs)
        .set({
          counters: writes.job.counters,
          checkpointLine: writes.job.checkpointLine,
          progress: writes.job.progress,
          updatedAt: sql`now()`
        })
        .where(and(eq(importJobs.id, writes.job.id), eq(importJobs.state, writes.job.state)))
        .returning({ id: importJobs.id })
      if (moved.length === 0) {
        const job = await tx
          .select({ id: importJobs.id })
          .from(importJobs)
          .where(eq(importJobs.id, writes.job.id))
        if (job.length > 0) throw new JobMoved()
      }
      await writeRecords(tx as unknown as Db, writes)
      const jobId = writes.job.id
      await run(
        tx,
        insertJson(
          importRows,
          writes.rows.map((row) => ({ ...row, jobId }))
        )
      )
      await run(
        tx,
        insertJson(
          importProblems,
          writes.problems.map((problem) => ({ ...problem, jobId }))
        )
      )
      return true
    })
    .catch((error: unknown) => {
      if (error instanceof JobMoved) return false
      throw error
    })

const writeRecords = async (tx: Db, writes: ChunkWrites) => {
  const records = writes.contacts.length + writes.organizations.length + writes.merges.length
  if (records === 0) return
  await tx.insert(divisions).values({ name: writes.division }).onConflictDoNothing()
  await tx.insert(externalSources).values({ name: writes.source }).onConflictDoNothing()
  await run(
    tx,
    insertJson(organizations, writes.organizations.map(fromOrganization), organizationUpsert)
  )
  await run(
    tx,
    insertJson(
      organizationExternalIds,
      writes.organizationExternalIds.map(({ organizationId, externalId }) => ({
        source: writes.source,
        division: writes.division,
        externalId,
        organizationId
      }))
    )
  )
  await run(tx, insertJson(contacts, writes.contacts.map(fromContact), contactUpsert))
  for (const merge of writes.merges) {
    const moved = await tx
      .update(contactExternalIds)
      .set({ contactId: merge.survivorId })
      .where(eq(contactExternalIds.contactId, merge.absorbedId))
      .returning({ source: contactExternalIds.source, externalId: contactExternalIds.externalId })
    await tx
      .update(contacts)
      .set({ mergedIntoId: merge.survivorId, updatedAt: sql`now()` })
      .where(or(eq(contacts.id, merge.absorbedId), eq(contacts.mergedIntoId, merge.absorbedId)))
    await tx.insert(contactMerges).values({
      survivorId: merge.survivorId,
      absorbedId: merge.absorbedId,
      movedExternalIds: moved,
      jobId: writes.job.id,
      line: merge.line
    })
  }
  await run(
    tx,
    insertJson(
      contactExternalIds,
      writes.contactExternalIds.map(({ contactId, externalId }) => ({
        source: writes.source,
        division: writes.division,
        externalId,
        contactId
      }))
    )
  )
}

const run = async (tx: Db, statement: SQL | null): Promise<void> => {
  if (statement !== null) await tx.execute(statement)
}

/**
 * Planner statistics lag behind an import that grows the tables: PGlite has no autovacuum, and
 * servers may run without it. A table that was never analyzed reads as empty, and the planner
 * then scans every contact of the division per chunk and compares its keys with each of the
 * chunk's (seconds per chunk, quadratic in the store); with stale statistics
 * `external_id = any($1)` becomes a filter over all External IDs instead of an index condition.
 * So the import's tables are analyzed before this process's first lookup and after every
 * fourfold growth of what it wrote (from 5,000 rows): a handful of times per file.
 */
const analyzeGrowth = () => {
  let written = 0
  let next = 0
  const analyze = (db: Db) =>
    db.execute(
      sql`analyze ${contacts}, ${contactExternalIds}, ${organizations}, ${organizationExternalIds}`
    )
  return {
    beforeResolve: async (db: Db): Promise<void> => {
      if (next > 0) return
      next = 5_000
      await analyze(db)
    },
    afterCommit: async (db: Db, writes: ChunkWrites): Promise<void> => {
      written += writes.contacts.length + writes.organizations.length
      if (written < next) return
      next = written * 4
      await analyze(db)
    }
  }
}

/** The import's lookups and chunk commits on PGlite or PostgreSQL through Drizzle. */
export const ImportStoreDrizzle = Layer.effect(
  ImportStore,
  Effect.gen(function* () {
    const database = yield* Database
    const statistics = analyzeGrowth()
    return ImportStore.of({
      resolve: (lookup) =>
        database.query(async (db) => {
          await statistics.beforeResolve(db)
          return lookupChunk(db, lookup)
        }),
      commit: (writes) =>
        database.query(async (db) => {
          const committed = await commit(db, writes)
          await statistics.afterCommit(db, writes)
          return committed
        })
    })
  })
)

export { loadContacts, loadOrganizations }
