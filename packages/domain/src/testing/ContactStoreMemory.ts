import { Effect, Layer, Option } from "effect"
import { contactE164s, contactEmailKeys } from "../Contact.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import {
  ensure,
  fromContact,
  insertKey,
  keysOf,
  MemoryDatabase,
  toContact,
  transaction
} from "./MemoryTables.ts"

/** Contacts on the in-memory tables, in id order, merged-away ones left out of lists. */
export const ContactStoreMemory = Layer.effect(
  ContactStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    return ContactStore.of({
      list: (query) =>
        transaction(database, (tables) =>
          [...tables.contacts.values()]
            .filter(
              (row) =>
                row.mergedIntoId === null &&
                (query.division === undefined || row.division === query.division) &&
                (query.divisions === undefined || query.divisions.includes(row.division)) &&
                (query.organizationId === undefined ||
                  row.organizationId === query.organizationId) &&
                (query.after === undefined || row.id > query.after) &&
                (query.email === undefined ||
                  contactEmailKeys(row).includes(query.email.trim().toLowerCase())) &&
                (query.phone === undefined || contactE164s(row).includes(query.phone)) &&
                (query.externalId === undefined ||
                  keysOf(tables.contactKeys, row.id).some(
                    (key) =>
                      key.externalId === query.externalId &&
                      (query.source === undefined || key.source === query.source)
                  ))
            )
            .toSorted((a, b) => (a.id < b.id ? -1 : 1))
            .slice(0, query.limit)
            .map((row) => toContact(tables, row))
        ),
      get: (id) =>
        transaction(database, (tables) => {
          const row = tables.contacts.get(id)
          return Option.fromUndefinedOr(row === undefined ? undefined : toContact(tables, row))
        }),
      create: (contact) =>
        transaction(database, (tables, now) => {
          if (tables.contacts.has(contact.id)) throw new Error(`duplicate contact ${contact.id}`)
          ensure(tables.divisions, contact.division, now)
          tables.contacts.set(contact.id, fromContact(contact, null))
          for (const { source, externalId } of contact.externalIds) {
            ensure(tables.sources, source, now)
            insertKey(tables.contactKeys, {
              source,
              division: contact.division,
              externalId,
              owner: contact.id
            })
          }
        }),
      update: (contact) =>
        transaction(database, (tables) => {
          const stored = tables.contacts.get(contact.id)
          if (stored === undefined) return false
          tables.contacts.set(contact.id, {
            ...fromContact(contact, stored.mergedIntoId),
            division: stored.division,
            createdAt: stored.createdAt
          })
          return true
        }),
      remove: (id) =>
        transaction(database, (tables) => {
          if (!tables.contacts.has(id)) return false
          const gone = new Set([id])
          for (const row of tables.contacts.values()) {
            if (row.mergedIntoId === id) gone.add(row.id)
          }
          for (const [key, row] of tables.contactKeys) {
            if (gone.has(row.owner)) tables.contactKeys.delete(key)
          }
          tables.merges = tables.merges.filter(
            (merge) => !gone.has(merge.survivorId) && !gone.has(merge.absorbedId)
          )
          for (const contactId of gone) tables.contacts.delete(contactId)
          return true
        }),
      merges: (id) =>
        transaction(database, (tables) =>
          tables.merges.filter((merge) => merge.survivorId === id || merge.absorbedId === id)
        ),
      mergedInto: (id) =>
        transaction(database, (tables) =>
          Option.fromNullishOr(tables.contacts.get(id)?.mergedIntoId)
        )
    })
  })
)
