import { Context, DateTime, Effect, Layer, Option } from "effect"
import { type Contact, contactE164s, contactEmailKeys } from "../Contact.ts"
import { ExternalIdTaken } from "../ExternalIdTaken.ts"
import type { ImportJob } from "../ImportJob.ts"
import type { Organization } from "../Organization.ts"
import type { Problem } from "../Problem.ts"
import { type ContactMergeRecord, ContactStore } from "../ports/ContactStore.ts"
import { ExternalSourceStore } from "../ports/ExternalSourceStore.ts"
import { ImportJobStore } from "../ports/ImportJobStore.ts"
import { type ChunkWrites, type ImportFound, ImportStore } from "../ports/ImportStore.ts"
import { OrganizationStore } from "../ports/OrganizationStore.ts"
import { StoreError } from "../ports/StoreError.ts"
import { RecordNotFound } from "../RecordNotFound.ts"

type ContactRow = Omit<Contact, "externalIds"> & { readonly mergedIntoId: string | null }
type OrganizationRow = Omit<Organization, "externalIds">
interface KeyRow {
  readonly source: string
  readonly division: string
  readonly externalId: string
  readonly owner: string
}

/** The tables of the in-memory store, as the Drizzle schema has them. */
interface Tables {
  sources: Map<string, string>
  divisions: Map<string, string>
  contacts: Map<string, ContactRow>
  contactKeys: Map<string, KeyRow>
  organizations: Map<string, OrganizationRow>
  organizationKeys: Map<string, KeyRow>
  merges: Array<ContactMergeRecord>
  jobs: Map<string, { job: ImportJob; problems: Array<Problem> }>
}

const emptyTables = (): Tables => ({
  sources: new Map(),
  divisions: new Map(),
  contacts: new Map(),
  contactKeys: new Map(),
  organizations: new Map(),
  organizationKeys: new Map(),
  merges: [],
  jobs: new Map()
})

/** A copy that a transaction can change and then publish, or drop on failure. */
const copyTables = (tables: Tables): Tables => ({
  sources: new Map(tables.sources),
  divisions: new Map(tables.divisions),
  contacts: new Map(tables.contacts),
  contactKeys: new Map(tables.contactKeys),
  organizations: new Map(tables.organizations),
  organizationKeys: new Map(tables.organizationKeys),
  merges: [...tables.merges],
  jobs: new Map(tables.jobs)
})

const keyOf = (source: string, division: string, externalId: string) =>
  JSON.stringify([source, division, externalId])

/** The one in-memory database behind every in-memory store of a test. */
class MemoryDatabase extends Context.Service<MemoryDatabase, { tables: Tables }>()(
  "@xcontacts/domain/testing/MemoryDatabase"
) {}

const insertKey = (table: Map<string, KeyRow>, row: KeyRow) => {
  const key = keyOf(row.source, row.division, row.externalId)
  if (table.has(key)) throw new Error(`duplicate key ${key}`)
  table.set(key, row)
}

const keysOf = (table: Map<string, KeyRow>, owner: string) =>
  [...table.values()]
    .filter((row) => row.owner === owner)
    .map(({ source, externalId }) => ({ source, externalId }))

const toContact = (tables: Tables, row: ContactRow): Contact => {
  const { mergedIntoId: _, ...contact } = row
  return { ...contact, externalIds: keysOf(tables.contactKeys, row.id) }
}

const toOrganization = (tables: Tables, row: OrganizationRow): Organization => ({
  ...row,
  externalIds: keysOf(tables.organizationKeys, row.id)
})

const fromContact = (contact: Contact, mergedIntoId: string | null): ContactRow => {
  const { externalIds: _, ...row } = contact
  return { ...row, mergedIntoId }
}

const fromOrganization = (organization: Organization): OrganizationRow => {
  const { externalIds: _, ...row } = organization
  return row
}

/**
 * Runs `change` on a copy of the tables and publishes it only if it finishes: the atomicity of a
 * database transaction. A thrown error becomes a `StoreError`, as the Drizzle adapters map them.
 */
const transaction = <A>(database: { tables: Tables }, change: (tables: Tables, now: string) => A) =>
  Effect.gen(function* () {
    const now = DateTime.formatIso(yield* DateTime.now)
    return yield* Effect.try({
      try: () => {
        const copy = copyTables(database.tables)
        const result = change(copy, now)
        database.tables = copy
        return result
      },
      catch: (cause) => new StoreError({ message: `query failed: ${String(cause)}`, cause })
    })
  })

const ensure = (table: Map<string, string>, name: string, now: string) => {
  if (!table.has(name)) table.set(name, now)
}

const importStore = Layer.effect(
  ImportStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    return ImportStore.of({
      resolve: (lookup) =>
        transaction(database, (tables): ImportFound => {
          const contacts = new Map<string, Contact>()
          for (const externalId of lookup.externalIds) {
            const key = tables.contactKeys.get(keyOf(lookup.source, lookup.division, externalId))
            const row = key === undefined ? undefined : tables.contacts.get(key.owner)
            if (row !== undefined) contacts.set(externalId, toContact(tables, row))
          }
          const organizations = new Map<string, Organization>()
          for (const externalId of lookup.organizationKeys) {
            const key = keyOf(lookup.source, lookup.division, externalId)
            const owner = tables.organizationKeys.get(key)?.owner
            const row = owner === undefined ? undefined : tables.organizations.get(owner)
            if (row !== undefined) organizations.set(externalId, toOrganization(tables, row))
          }
          const emails = new Set(lookup.emails)
          const phones = new Set(lookup.phones)
          const candidates = [...tables.contacts.values()]
            .filter(
              (row) =>
                row.division === lookup.division &&
                row.mergedIntoId === null &&
                (contactEmailKeys(row).some((key) => emails.has(key)) ||
                  contactE164s(row).some((key) => phones.has(key)))
            )
            .map((row) => toContact(tables, row))
          return { contacts, organizations, candidates }
        }),
      commit: (writes: ChunkWrites) =>
        transaction(database, (tables, now) => {
          ensure(tables.divisions, writes.division, now)
          ensure(tables.sources, writes.source, now)
          for (const organization of writes.organizations) {
            tables.organizations.set(organization.id, fromOrganization(organization))
          }
          for (const { organizationId, externalId } of writes.organizationExternalIds) {
            insertKey(tables.organizationKeys, {
              source: writes.source,
              division: writes.division,
              externalId,
              owner: organizationId
            })
          }
          for (const contact of writes.contacts) {
            const stored = tables.contacts.get(contact.id)
            tables.contacts.set(contact.id, fromContact(contact, stored?.mergedIntoId ?? null))
          }
          for (const merge of writes.merges) {
            const moved = keysOf(tables.contactKeys, merge.absorbedId)
            for (const [key, row] of tables.contactKeys) {
              if (row.owner === merge.absorbedId) {
                tables.contactKeys.set(key, { ...row, owner: merge.survivorId })
              }
            }
            for (const row of tables.contacts.values()) {
              if (row.id === merge.absorbedId || row.mergedIntoId === merge.absorbedId) {
                tables.contacts.set(row.id, {
                  ...row,
                  mergedIntoId: merge.survivorId,
                  updatedAt: now
                })
              }
            }
            tables.merges.push({
              ...merge,
              movedExternalIds: moved,
              jobId: writes.job.id,
              mergedAt: now
            })
          }
          for (const { contactId, externalId } of writes.contactExternalIds) {
            insertKey(tables.contactKeys, {
              source: writes.source,
              division: writes.division,
              externalId,
              owner: contactId
            })
          }
          const entry = tables.jobs.get(writes.job.id)
          if (entry !== undefined) {
            tables.jobs.set(writes.job.id, {
              job: { ...entry.job, state: writes.job.state, counters: writes.job.counters },
              problems: [...entry.problems, ...writes.problems]
            })
          }
        })
    })
  })
)

const importJobStore = Layer.effect(
  ImportJobStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    return ImportJobStore.of({
      create: (job) =>
        transaction(database, (tables) => {
          tables.jobs.set(job.id, { job, problems: [...job.problems] })
        }),
      update: (job, newProblems) =>
        transaction(database, (tables) => {
          const problems = tables.jobs.get(job.id)?.problems ?? []
          tables.jobs.set(job.id, { job, problems: [...problems, ...newProblems] })
        }),
      get: (id) =>
        transaction(database, (tables) => {
          const entry = tables.jobs.get(id)
          return Option.fromUndefinedOr(
            entry === undefined ? undefined : { ...entry.job, problems: entry.problems }
          )
        }),
      list: (limit) =>
        transaction(database, (tables) =>
          [...tables.jobs.values()]
            .map((entry) => ({ ...entry.job, problems: entry.problems }))
            .toSorted((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
            .slice(0, limit)
        )
    })
  })
)

const contactStore = Layer.effect(
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

const organizationStore = Layer.effect(
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
                (query.after === undefined || row.id > query.after) &&
                (query.externalId === undefined ||
                  keysOf(tables.organizationKeys, row.id).some(
                    (key) => key.externalId === query.externalId
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

const externalSourceStore = Layer.effect(
  ExternalSourceStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const named = (table: Map<string, string>) =>
      [...table.entries()]
        .map(([name, createdAt]) => ({ name, createdAt }))
        .toSorted((a, b) => (a.name < b.name ? -1 : 1))
    return ExternalSourceStore.of({
      sources: () => transaction(database, (tables) => named(tables.sources)),
      divisions: () => transaction(database, (tables) => named(tables.divisions))
    })
  })
)

/**
 * Every store port on one fresh in-memory database, with the semantics of the Drizzle adapters:
 * External IDs unique per source and division, atomic commits, merged contacts never listed or
 * matched. For tests and for running the contract suite without a database.
 */
export const inMemoryStoresLayer = Layer.mergeAll(
  importStore,
  importJobStore,
  contactStore,
  organizationStore,
  externalSourceStore
).pipe(Layer.provide(Layer.sync(MemoryDatabase, () => ({ tables: emptyTables() }))))
