import {
  type ChunkWrites,
  type Contact,
  type ImportFound,
  type ImportLookup,
  ImportStore,
  type Organization,
  type OrganizationEffect,
  type Recalled
} from "@xcontacts/domain"
import {
  and,
  arrayOverlaps,
  eq,
  getTableColumns,
  isNotNull,
  isNull,
  min,
  or,
  type SQL,
  sql
} from "drizzle-orm"
import type { PgTable } from "drizzle-orm/pg-core"
import { Effect, Layer } from "effect"
import { anyOf } from "./AnyOf.ts"
import { batches, batchSize } from "./Batches.ts"
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
import {
  fromContact,
  fromOrganization,
  groupExternalIds,
  toContact,
  toOrganization
} from "./Rows.ts"

const notUpdated = new Set(["id", "createdAt", "mergedIntoId"])

/** `SET col = excluded.col` for every column but the key, the creation time and merge marks. */
const excludedColumns = (table: PgTable): Record<string, SQL> =>
  Object.fromEntries(
    Object.entries(getTableColumns(table))
      .filter(([key]) => !notUpdated.has(key))
      .map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)])
  )

const contactUpdate = excludedColumns(contacts)
const organizationUpdate = excludedColumns(organizations)
const contactColumns = Object.keys(getTableColumns(contacts)).length
const organizationColumns = Object.keys(getTableColumns(organizations)).length

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

const resolve = async (db: Db, lookup: ImportLookup): Promise<ImportFound> => {
  const contactKeys =
    lookup.externalIds.length === 0
      ? []
      : await db
          .select({
            externalId: contactExternalIds.externalId,
            contactId: contactExternalIds.contactId
          })
          .from(contactExternalIds)
          .where(
            and(
              eq(contactExternalIds.source, lookup.source),
              eq(contactExternalIds.division, lookup.division),
              anyOf(contactExternalIds.externalId, lookup.externalIds)
            )
          )
  const organizationKeys =
    lookup.organizationKeys.length === 0
      ? []
      : await db
          .select({
            externalId: organizationExternalIds.externalId,
            organizationId: organizationExternalIds.organizationId
          })
          .from(organizationExternalIds)
          .where(
            and(
              eq(organizationExternalIds.source, lookup.source),
              eq(organizationExternalIds.division, lookup.division),
              anyOf(organizationExternalIds.externalId, lookup.organizationKeys)
            )
          )
  const matches: Array<SQL> = []
  if (lookup.emails.length > 0) matches.push(arrayOverlaps(contacts.emailKeys, [...lookup.emails]))
  if (lookup.phones.length > 0) matches.push(arrayOverlaps(contacts.phoneKeys, [...lookup.phones]))
  const candidateIds =
    matches.length === 0
      ? []
      : await db
          .select({ id: contacts.id })
          .from(contacts)
          .where(
            and(
              eq(contacts.division, lookup.division),
              isNull(contacts.mergedIntoId),
              or(...matches)
            )
          )
  const loaded = await loadContacts(db, [
    ...contactKeys.map((row) => row.contactId),
    ...candidateIds.map((row) => row.id)
  ])
  const loadedOrganizations = await loadOrganizations(
    db,
    organizationKeys.map((row) => row.organizationId)
  )
  return {
    contacts: new Map(contactKeys.map((row) => [row.externalId, loaded.get(row.contactId)!])),
    organizations: new Map(
      organizationKeys.map((row) => [row.externalId, loadedOrganizations.get(row.organizationId)!])
    ),
    candidates: candidateIds.map((row) => loaded.get(row.id)!)
  }
}

/** Thrown inside a commit to roll it back when the job has left the chunk's state. */
class JobMoved extends Error {}

const strength = sql`case ${importRows.organizationEffect} when 'created' then 2
  when 'updated' then 1 else 0 end`

const recall = async (
  db: Db,
  jobId: string,
  externalIds: ReadonlyArray<string>,
  organizationKeys: ReadonlyArray<string>
): Promise<Recalled> => {
  const firstLines =
    externalIds.length === 0
      ? []
      : await db
          .select({ externalId: importRows.externalId, line: min(importRows.line) })
          .from(importRows)
          .where(and(eq(importRows.jobId, jobId), anyOf(importRows.externalId, externalIds)))
          .groupBy(importRows.externalId)
  const effects =
    organizationKeys.length === 0
      ? []
      : await db
          .select({
            key: importRows.organizationKey,
            strength: sql<number>`max(${strength})`.mapWith(Number)
          })
          .from(importRows)
          .where(
            and(
              eq(importRows.jobId, jobId),
              anyOf(importRows.organizationKey, [...new Set(organizationKeys)]),
              isNotNull(importRows.organizationEffect)
            )
          )
          .groupBy(importRows.organizationKey)
  const byStrength: ReadonlyArray<OrganizationEffect> = ["unchanged", "updated", "created"]
  return {
    firstLines: new Map(firstLines.map((row) => [row.externalId!, row.line!])),
    organizationEffects: new Map(effects.map((row) => [row.key!, byStrength[row.strength]!]))
  }
}

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
      for (const batch of batches(writes.rows, batchSize(9))) {
        await tx
          .insert(importRows)
          .values(
            batch.map((row) => ({ ...row, jobId: writes.job.id, problems: [...row.problems] }))
          )
      }
      for (const batch of batches(writes.problems, batchSize(7))) {
        await tx
          .insert(importProblems)
          .values(batch.map((problem) => ({ ...problem, jobId: writes.job.id })))
      }
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
  for (const batch of batches(writes.organizations, batchSize(organizationColumns))) {
    await tx
      .insert(organizations)
      .values(batch.map(fromOrganization))
      .onConflictDoUpdate({ target: organizations.id, set: organizationUpdate })
  }
  for (const batch of batches(writes.organizationExternalIds, batchSize(4))) {
    await tx.insert(organizationExternalIds).values(
      batch.map(({ organizationId, externalId }) => ({
        source: writes.source,
        division: writes.division,
        externalId,
        organizationId
      }))
    )
  }
  for (const batch of batches(writes.contacts, batchSize(contactColumns))) {
    await tx
      .insert(contacts)
      .values(batch.map(fromContact))
      .onConflictDoUpdate({ target: contacts.id, set: contactUpdate })
  }
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
  for (const batch of batches(writes.contactExternalIds, batchSize(4))) {
    await tx.insert(contactExternalIds).values(
      batch.map(({ contactId, externalId }) => ({
        source: writes.source,
        division: writes.division,
        externalId,
        contactId
      }))
    )
  }
}

/** The import's lookups and chunk commits on PGlite or PostgreSQL through Drizzle. */
export const ImportStoreDrizzle = Layer.effect(
  ImportStore,
  Effect.gen(function* () {
    const database = yield* Database
    return ImportStore.of({
      resolve: (lookup) => database.query((db) => resolve(db, lookup)),
      recall: (jobId, externalIds, organizationKeys) =>
        database.query((db) => recall(db, jobId, externalIds, organizationKeys)),
      commit: (writes) => database.query((db) => commit(db, writes))
    })
  })
)

export { loadContacts, loadOrganizations }
