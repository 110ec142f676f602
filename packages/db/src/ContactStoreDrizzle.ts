import {
  type Contact,
  type ContactMergeRecord,
  type ContactQuery,
  ContactStore
} from "@xcontacts/domain"
import {
  and,
  arrayContains,
  asc,
  eq,
  exists,
  gt,
  inArray,
  isNull,
  or,
  type SQL,
  sql
} from "drizzle-orm"
import { Effect, Layer, Option } from "effect"
import { Database, type Db } from "./Database.ts"
import {
  contactExternalIds,
  contactMerges,
  contacts,
  divisions,
  externalSources
} from "./DbSchema.ts"
import { loadContacts } from "./ImportStoreDrizzle.ts"
import { fromContact, iso } from "./Rows.ts"

const list = async (db: Db, query: ContactQuery) => {
  const conditions: Array<SQL | undefined> = [isNull(contacts.mergedIntoId)]
  if (query.organizationId !== undefined) {
    conditions.push(eq(contacts.organizationId, query.organizationId))
  }
  if (query.division !== undefined) conditions.push(eq(contacts.division, query.division))
  if (query.divisions !== undefined) {
    conditions.push(inArray(contacts.division, [...query.divisions]))
  }
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
              eq(contactExternalIds.externalId, query.externalId),
              query.source === undefined ? undefined : eq(contactExternalIds.source, query.source)
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

const create = (db: Db, contact: Contact) =>
  db.transaction(async (tx) => {
    await tx.insert(divisions).values({ name: contact.division }).onConflictDoNothing()
    await tx.insert(contacts).values(fromContact(contact))
    for (const { source, externalId } of contact.externalIds) {
      await tx.insert(externalSources).values({ name: source }).onConflictDoNothing()
      await tx
        .insert(contactExternalIds)
        .values({ source, division: contact.division, externalId, contactId: contact.id })
    }
  })

/** The stored row's id, division, creation time and merge stay; everything else is replaced. */
const update = async (db: Db, contact: Contact) => {
  const { id: _, division: _division, createdAt: _createdAt, ...fields } = fromContact(contact)
  const updated = await db
    .update(contacts)
    .set(fields)
    .where(eq(contacts.id, contact.id))
    .returning({ id: contacts.id })
  return updated.length > 0
}

const remove = (db: Db, id: string) =>
  db.transaction(async (tx) => {
    const absorbed = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(eq(contacts.mergedIntoId, id))
    const gone = [id, ...absorbed.map((row) => row.id)]
    await tx.delete(contactExternalIds).where(inArray(contactExternalIds.contactId, gone))
    await tx
      .delete(contactMerges)
      .where(or(inArray(contactMerges.survivorId, gone), inArray(contactMerges.absorbedId, gone)))
    await tx.update(contacts).set({ mergedIntoId: null }).where(inArray(contacts.id, gone))
    const deleted = await tx
      .delete(contacts)
      .where(inArray(contacts.id, gone))
      .returning({ id: contacts.id })
    return deleted.some((row) => row.id === id)
  })

const merges = async (db: Db, id: string): Promise<ReadonlyArray<ContactMergeRecord>> => {
  const rows = await db
    .select()
    .from(contactMerges)
    .where(or(eq(contactMerges.survivorId, id), eq(contactMerges.absorbedId, id)))
    .orderBy(asc(contactMerges.id))
  return rows.map((row) => ({
    survivorId: row.survivorId,
    absorbedId: row.absorbedId,
    line: row.line ?? 0,
    movedExternalIds: row.movedExternalIds,
    jobId: row.jobId,
    mergedAt: iso(row.mergedAt)
  }))
}

const mergedInto = async (db: Db, id: string) => {
  const [row] = await db
    .select({ mergedIntoId: contacts.mergedIntoId })
    .from(contacts)
    .where(eq(contacts.id, id))
  return Option.fromNullishOr(row?.mergedIntoId)
}

/** Contacts read from PGlite or PostgreSQL through Drizzle, in id order for cursor paging. */
export const ContactStoreDrizzle = Layer.effect(
  ContactStore,
  Effect.gen(function* () {
    const database = yield* Database
    return ContactStore.of({
      list: (query) => database.query((db) => list(db, query)),
      get: (id) =>
        database.query(async (db) =>
          Option.fromUndefinedOr((await loadContacts(db, [id])).get(id))
        ),
      create: (contact) => database.query((db) => create(db, contact)),
      update: (contact) => database.query((db) => update(db, contact)),
      remove: (id) => database.query((db) => remove(db, id)),
      merges: (id) => database.query((db) => merges(db, id)),
      mergedInto: (id) => database.query((db) => mergedInto(db, id))
    })
  })
)
