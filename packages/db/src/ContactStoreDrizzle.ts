import { type ContactQuery, ContactStore } from "@xcontacts/domain"
import { and, arrayContains, asc, eq, exists, gt, type SQL, sql } from "drizzle-orm"
import { Effect, Layer, Option } from "effect"
import { Database, type Db } from "./Database.ts"
import { contactExternalIds, contacts } from "./DbSchema.ts"
import { loadContacts } from "./ImportStoreDrizzle.ts"

const list = async (db: Db, query: ContactQuery) => {
  const conditions: Array<SQL | undefined> = []
  if (query.division !== undefined) conditions.push(eq(contacts.division, query.division))
  if (query.after !== undefined) conditions.push(gt(contacts.id, query.after))
  if (query.email !== undefined) {
    conditions.push(arrayContains(contacts.emailKeys, [query.email.trim().toLowerCase()]))
  }
  if (query.phone !== undefined) conditions.push(arrayContains(contacts.phoneKeys, [query.phone]))
  if (query.externalId !== undefined) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(contactExternalIds)
          .where(
            and(
              eq(contactExternalIds.contactId, contacts.id),
              eq(contactExternalIds.externalId, query.externalId)
            )
          )
      )
    )
  }
  const ids = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(...conditions))
    .orderBy(asc(contacts.id))
    .limit(query.limit)
  const loaded = await loadContacts(
    db,
    ids.map((row) => row.id)
  )
  return ids.map((row) => loaded.get(row.id)!)
}

/** Contacts read from PGlite or PostgreSQL through Drizzle, in id order for cursor paging. */
export const ContactStoreDrizzle = Layer.effect(
  ContactStore,
  Effect.gen(function* () {
    const database = yield* Database
    return ContactStore.of({
      list: (query) => database.query((db) => list(db, query)),
      get: (id) =>
        database.query(async (db) => Option.fromUndefinedOr((await loadContacts(db, [id])).get(id)))
    })
  })
)
