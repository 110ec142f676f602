import {
  ExternalIdTaken,
  type Organization,
  type OrganizationExternalIdAssignment,
  type OrganizationQuery,
  OrganizationStore,
  RecordNotFound
} from "@xcontacts/domain"
import { and, asc, eq, exists, gt, inArray, type SQL, sql } from "drizzle-orm"
import { Effect, Layer, Option } from "effect"
import { Database, type Db } from "./Database.ts"
import {
  contacts,
  divisions,
  externalSources,
  organizationExternalIds,
  organizations
} from "./DbSchema.ts"
import { loadOrganizations } from "./ImportStoreDrizzle.ts"
import { fromOrganization } from "./Rows.ts"

const list = async (db: Db, query: OrganizationQuery) => {
  const conditions: Array<SQL | undefined> = []
  if (query.division !== undefined) conditions.push(eq(organizations.division, query.division))
  if (query.divisions !== undefined) {
    conditions.push(inArray(organizations.division, [...query.divisions]))
  }
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
              eq(organizationExternalIds.externalId, query.externalId),
              query.source === undefined
                ? undefined
                : eq(organizationExternalIds.source, query.source)
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

const create = (db: Db, organization: Organization) =>
  db.transaction(async (tx) => {
    await tx.insert(divisions).values({ name: organization.division }).onConflictDoNothing()
    await tx.insert(organizations).values(fromOrganization(organization))
    for (const { source, externalId } of organization.externalIds) {
      await tx.insert(externalSources).values({ name: source }).onConflictDoNothing()
      await tx.insert(organizationExternalIds).values({
        source,
        division: organization.division,
        externalId,
        organizationId: organization.id
      })
    }
  })

/** The stored row's id, division and creation time stay; everything else is replaced. */
const update = async (db: Db, organization: Organization) => {
  const {
    id: _,
    division: _division,
    createdAt: _createdAt,
    ...fields
  } = fromOrganization(organization)
  const updated = await db
    .update(organizations)
    .set(fields)
    .where(eq(organizations.id, organization.id))
    .returning({ id: organizations.id })
  return updated.length > 0
}

const remove = (db: Db, id: string) =>
  db.transaction(async (tx) => {
    await tx
      .update(contacts)
      .set({ organizationId: null, updatedAt: sql`now()` })
      .where(eq(contacts.organizationId, id))
    await tx.delete(organizationExternalIds).where(eq(organizationExternalIds.organizationId, id))
    const deleted = await tx
      .delete(organizations)
      .where(eq(organizations.id, id))
      .returning({ id: organizations.id })
    return deleted.length > 0
  })

type Assigned =
  | { readonly _tag: "Assigned"; readonly organization: Organization }
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Taken"; readonly division: string; readonly heldBy: string }

const assign = (db: Db, assignment: OrganizationExternalIdAssignment): Promise<Assigned> =>
  db.transaction(async (tx) => {
    const { organizationId, source, externalId } = assignment
    const [row] = await tx
      .select({ division: organizations.division })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
    if (row === undefined) return { _tag: "Missing" }
    const [held] = await tx
      .select({ organizationId: organizationExternalIds.organizationId })
      .from(organizationExternalIds)
      .where(
        and(
          eq(organizationExternalIds.source, source),
          eq(organizationExternalIds.division, row.division),
          eq(organizationExternalIds.externalId, externalId)
        )
      )
    if (held !== undefined && held.organizationId !== organizationId) {
      return { _tag: "Taken", division: row.division, heldBy: held.organizationId }
    }
    await tx.insert(externalSources).values({ name: source }).onConflictDoNothing()
    if (held === undefined) {
      await tx
        .insert(organizationExternalIds)
        .values({ source, division: row.division, externalId, organizationId })
    }
    const loaded = await loadOrganizations(tx as unknown as Db, [organizationId])
    return { _tag: "Assigned", organization: loaded.get(organizationId)! }
  })

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
        ),
      create: (organization) => database.query((db) => create(db, organization)),
      update: (organization) => database.query((db) => update(db, organization)),
      remove: (id) => database.query((db) => remove(db, id)),
      assignExternalId: (assignment) =>
        database
          .query((db) => assign(db, assignment))
          .pipe(
            Effect.flatMap(
              (result): Effect.Effect<Organization, ExternalIdTaken | RecordNotFound> => {
                if (result._tag === "Assigned") return Effect.succeed(result.organization)
                if (result._tag === "Missing") {
                  return Effect.fail(
                    new RecordNotFound({ kind: "organization", id: assignment.organizationId })
                  )
                }
                return Effect.fail(
                  new ExternalIdTaken({
                    source: assignment.source,
                    division: result.division,
                    externalId: assignment.externalId,
                    heldBy: result.heldBy
                  })
                )
              }
            )
          )
    })
  })
)
