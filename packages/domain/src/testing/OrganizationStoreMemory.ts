import { Effect, Layer, Option } from "effect"
import { ExternalIdTaken } from "../ExternalIdTaken.ts"
import { OrganizationStore } from "../ports/OrganizationStore.ts"
import { RecordNotFound } from "../RecordNotFound.ts"
import {
  ensure,
  fromOrganization,
  insertKey,
  keyOf,
  keysOf,
  MemoryDatabase,
  toOrganization,
  transaction
} from "./MemoryTables.ts"

/** Organizations on the in-memory tables, with External IDs unique per source and division. */
export const OrganizationStoreMemory = Layer.effect(
  OrganizationStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    return OrganizationStore.of({
      list: (query) =>
        transaction(database, (tables) =>
          [...tables.organizations.values()]
            .filter(
              (row) =>
                (query.division === undefined || row.division === query.division) &&
                (query.divisions === undefined || query.divisions.includes(row.division)) &&
                (query.after === undefined || row.id > query.after) &&
                (query.externalId === undefined ||
                  keysOf(tables.organizationKeys, row.id).some(
                    (key) =>
                      key.externalId === query.externalId &&
                      (query.source === undefined || key.source === query.source)
                  ))
            )
            .toSorted((a, b) => (a.id < b.id ? -1 : 1))
            .slice(0, query.limit)
            .map((row) => toOrganization(tables, row))
        ),
      get: (id) =>
        transaction(database, (tables) => {
          const row = tables.organizations.get(id)
          return Option.fromUndefinedOr(row === undefined ? undefined : toOrganization(tables, row))
        }),
      create: (organization) =>
        transaction(database, (tables, now) => {
          if (tables.organizations.has(organization.id)) {
            throw new Error(`duplicate organization ${organization.id}`)
          }
          ensure(tables.divisions, organization.division, now)
          tables.organizations.set(organization.id, fromOrganization(organization))
          for (const { source, externalId } of organization.externalIds) {
            ensure(tables.sources, source, now)
            insertKey(tables.organizationKeys, {
              source,
              division: organization.division,
              externalId,
              owner: organization.id
            })
          }
        }),
      update: (organization) =>
        transaction(database, (tables) => {
          const stored = tables.organizations.get(organization.id)
          if (stored === undefined) return false
          tables.organizations.set(organization.id, {
            ...fromOrganization(organization),
            division: stored.division,
            createdAt: stored.createdAt
          })
          return true
        }),
      remove: (id) =>
        transaction(database, (tables, now) => {
          if (!tables.organizations.has(id)) return false
          for (const row of tables.contacts.values()) {
            if (row.organizationId === id) {
              tables.contacts.set(row.id, { ...row, organizationId: null, updatedAt: now })
            }
          }
          for (const [key, row] of tables.organizationKeys) {
            if (row.owner === id) tables.organizationKeys.delete(key)
          }
          tables.organizations.delete(id)
          return true
        }),
      assignExternalId: ({ organizationId, source, externalId }) =>
        Effect.gen(function* () {
          const result = yield* transaction(database, (tables, now) => {
            const row = tables.organizations.get(organizationId)
            if (row === undefined) return { _tag: "Missing" as const }
            const held = tables.organizationKeys.get(keyOf(source, row.division, externalId))
            if (held !== undefined && held.owner !== organizationId) {
              return { _tag: "Taken" as const, division: row.division, heldBy: held.owner }
            }
            ensure(tables.sources, source, now)
            if (held === undefined) {
              insertKey(tables.organizationKeys, {
                source,
                division: row.division,
                externalId,
                owner: organizationId
              })
            }
            return { _tag: "Assigned" as const, organization: toOrganization(tables, row) }
          })
          if (result._tag === "Missing") {
            return yield* new RecordNotFound({ kind: "organization", id: organizationId })
          }
          if (result._tag === "Taken") {
            return yield* new ExternalIdTaken({
              source,
              division: result.division,
              externalId,
              heldBy: result.heldBy
            })
          }
          return result.organization
        })
    })
  })
)
