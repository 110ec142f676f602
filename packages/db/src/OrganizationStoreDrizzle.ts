import { type OrganizationQuery, OrganizationStore } from "@xcontacts/domain"
import { and, asc, eq, exists, gt, type SQL, sql } from "drizzle-orm"
import { Effect, Layer, Option } from "effect"
import { Database, type Db } from "./Database.ts"
import { organizationExternalIds, organizations } from "./DbSchema.ts"
import { loadOrganizations } from "./ImportStoreDrizzle.ts"

const list = async (db: Db, query: OrganizationQuery) => {
  const conditions: Array<SQL | undefined> = []
  if (query.division !== undefined) conditions.push(eq(organizations.division, query.division))
  if (query.after !== undefined) conditions.push(gt(organizations.id, query.after))
  if (query.externalId !== undefined) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(organizationExternalIds)
          .where(
            and(
              eq(organizationExternalIds.organizationId, organizations.id),
              eq(organizationExternalIds.externalId, query.externalId)
            )
          )
      )
    )
  }
  const ids = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(...conditions))
    .orderBy(asc(organizations.id))
    .limit(query.limit)
  const loaded = await loadOrganizations(
    db,
    ids.map((row) => row.id)
  )
  return ids.map((row) => loaded.get(row.id)!)
}

/** Organizations read from PGlite or PostgreSQL through Drizzle, in id order for cursor paging. */
export const OrganizationStoreDrizzle = Layer.effect(
  OrganizationStore,
  Effect.gen(function* () {
    const database = yield* Database
    return OrganizationStore.of({
      list: (query) => database.query((db) => list(db, query)),
      get: (id) =>
        database.query(async (db) =>
          Option.fromUndefinedOr((await loadOrganizations(db, [id])).get(id))
        )
    })
  })
)
