import { type Contact, ImportStore, type Organization } from "@xcontacts/domain"
import { type SQL, sql } from "drizzle-orm"
import { Effect, Layer } from "effect"
import { anyOf } from "./AnyOf.ts"
import { commitChunk } from "./ChunkCommit.ts"
import { lookupChunk } from "./ChunkLookup.ts"
import { Database, type Db } from "./Database.ts"
import {
  contactExternalIds,
  contactMerges,
  contacts,
  importJobs,
  importStageContacts,
  importStageKeys,
  importStageOrganizations,
  organizationExternalIds,
  organizations
} from "./DbSchema.ts"
import {
  dropStage,
  overlayStage,
  vacuumStage,
  vacuumStageFrom,
  writeStage
} from "./ImportStageDrizzle.ts"
import { groupExternalIds, toContact, toOrganization } from "./Rows.ts"

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

/**
 * Planner statistics lag behind an import that grows the tables: PGlite has no autovacuum, and
 * servers may run without it. A table that was never analyzed reads as empty, and the planner
 * then scans every contact of the division per chunk and compares its keys with each of the
 * chunk's (seconds per chunk, quadratic in the store); with stale statistics
 * `external_id = any($1)` becomes a filter over all External IDs instead of an index condition.
 * So a set of tables is analyzed before this process's first lookup and after every fourfold
 * growth of what it wrote there (from 5,000 records): a handful of times per file. The store's
 * tables and the stage's are counted apart: a validation's stage writes must not use up the
 * store's growth, or the import that follows it runs on statistics of an empty store.
 */
const analyzeGrowth = (tables: SQL) => {
  let written = 0
  let next = 0
  const analyze = (db: Db) => db.execute(sql`analyze ${tables}`)
  return {
    beforeResolve: async (db: Db): Promise<void> => {
      if (next > 0) return
      next = 5_000
      await analyze(db)
    },
    afterCommit: async (db: Db, records: number): Promise<void> => {
      written += records
      if (written < next) return
      next = written * 4
      await analyze(db)
    }
  }
}

/**
 * Makes the space of the records an import replaced reusable, and refreshes the statistics. On
 * PGlite, which has no autovacuum, every updated contact otherwise stayed in the data folder as a
 * dead row: 15,000-row re-imports updating 6,515 contacts each grew `contacts` 6.9 → 10.3 →
 * 13.8 → 17.2 MB. Pages nobody changed since the last vacuum are skipped. Outside a transaction.
 */
const vacuumStore = (db: Db) =>
  db.execute(
    sql`vacuum (analyze) ${contacts}, ${contactExternalIds}, ${contactMerges}, ${organizations}, ${organizationExternalIds}, ${importJobs}`
  )

/** The import's lookups and chunk commits on PGlite or PostgreSQL through Drizzle. */
export const ImportStoreDrizzle = Layer.effect(
  ImportStore,
  Effect.gen(function* () {
    const database = yield* Database
    const store = analyzeGrowth(
      sql`${contacts}, ${contactExternalIds}, ${organizations}, ${organizationExternalIds}`
    )
    const stage = analyzeGrowth(
      sql`${importStageContacts}, ${importStageKeys}, ${importStageOrganizations}`
    )
    return ImportStore.of({
      resolve: (lookup, target) =>
        database.query(async (db) => {
          await store.beforeResolve(db)
          if (target._tag === "Stage") await stage.beforeResolve(db)
          const found = await lookupChunk(db, lookup)
          return target._tag === "Stage" ? overlayStage(db, target.jobId, lookup, found) : found
        }),
      commit: (writes) =>
        database.query(async (db) => {
          const committed =
            writes.target._tag === "Store"
              ? await commitChunk(db, writes)
              : // The stage's writes follow the chunk's statement, in its transaction.
                await db.transaction(async (tx) => {
                  const written = await commitChunk(tx as unknown as Db, writes)
                  if (written) await writeStage(tx as unknown as Db, writes, writes.job.id)
                  return written
                })
          await (writes.target._tag === "Store" ? store : stage).afterCommit(
            db,
            writes.contacts.length + writes.organizations.length
          )
          return committed
        }),
      dropStage: (jobId) =>
        database.query(async (db) => {
          const dropped = await db.transaction((tx) => dropStage(tx as unknown as Db, jobId))
          if (dropped >= vacuumStageFrom) await vacuumStage(db)
        }),
      // PostgreSQL's autovacuum does this on a server; PGlite has none.
      reclaim: () =>
        database.kind === "pglite" ? database.query((db) => vacuumStore(db)) : Effect.void
    })
  })
)

export { loadContacts, loadOrganizations }
