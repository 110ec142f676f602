import { Context, DateTime, Effect } from "effect"
import type { ApiKey } from "../ApiKey.ts"
import type { Contact } from "../Contact.ts"
import type { ImportJob } from "../ImportJob.ts"
import type { ImportProfile } from "../ImportProfile.ts"
import type { Organization } from "../Organization.ts"
import type { Problem } from "../Problem.ts"
import type { ContactMergeRecord } from "../ports/ContactStore.ts"
import type { RowRecord } from "../ports/ImportStore.ts"
import { StoreError } from "../ports/StoreError.ts"

export type ContactRow = Omit<Contact, "externalIds"> & { readonly mergedIntoId: string | null }
export type OrganizationRow = Omit<Organization, "externalIds">
export interface KeyRow {
  readonly source: string
  readonly division: string
  readonly externalId: string
  readonly owner: string
}

/** The tables of the in-memory store, as the Drizzle schema has them. */
export interface Tables {
  sources: Map<string, string>
  divisions: Map<string, string>
  contacts: Map<string, ContactRow>
  contactKeys: Map<string, KeyRow>
  organizations: Map<string, OrganizationRow>
  organizationKeys: Map<string, KeyRow>
  merges: Array<ContactMergeRecord>
  /** Jobs with the problems of their file itself; row problems are in their row records. */
  jobs: Map<string, { job: ImportJob; fileProblems: ReadonlyArray<Problem> }>
  profiles: Map<string, ImportProfile>
  apiKeys: Map<string, { key: ApiKey; secretHash: string }>
  /** Row records by job, then by line; a transaction replaces a job's map, never changes it. */
  jobRows: Map<string, Map<number, RowRecord>>
  /**
   * Validation stages by job: a copy of the tables taken at the stage's first write, with the
   * staged writes made to it. Simpler than the database's overlay: a stage does not see what
   * others write to the store after it was taken.
   */
  stages: Map<string, Tables>
}

export const emptyTables = (): Tables => ({
  sources: new Map(),
  divisions: new Map(),
  contacts: new Map(),
  contactKeys: new Map(),
  organizations: new Map(),
  organizationKeys: new Map(),
  merges: [],
  jobs: new Map(),
  profiles: new Map(),
  apiKeys: new Map(),
  jobRows: new Map(),
  stages: new Map()
})

/** A copy that a transaction can change and then publish, or drop on failure. */
export const copyTables = (tables: Tables): Tables => ({
  sources: new Map(tables.sources),
  divisions: new Map(tables.divisions),
  contacts: new Map(tables.contacts),
  contactKeys: new Map(tables.contactKeys),
  organizations: new Map(tables.organizations),
  organizationKeys: new Map(tables.organizationKeys),
  merges: [...tables.merges],
  jobs: new Map(tables.jobs),
  profiles: new Map(tables.profiles),
  apiKeys: new Map(tables.apiKeys),
  jobRows: new Map(tables.jobRows),
  stages: new Map(tables.stages)
})

export const keyOf = (source: string, division: string, externalId: string) =>
  JSON.stringify([source, division, externalId])

/** The one in-memory database behind every in-memory store of a test. */
export class MemoryDatabase extends Context.Service<MemoryDatabase, { tables: Tables }>()(
  "@xcontacts/domain/testing/MemoryDatabase"
) {}

export const insertKey = (table: Map<string, KeyRow>, row: KeyRow) => {
  const key = keyOf(row.source, row.division, row.externalId)
  if (table.has(key)) throw new Error(`duplicate key ${key}`)
  table.set(key, row)
}

export const keysOf = (table: Map<string, KeyRow>, owner: string) =>
  [...table.values()]
    .filter((row) => row.owner === owner)
    .map(({ source, externalId }) => ({ source, externalId }))

export const toContact = (tables: Tables, row: ContactRow): Contact => {
  const { mergedIntoId: _, ...contact } = row
  return { ...contact, externalIds: keysOf(tables.contactKeys, row.id) }
}

export const toOrganization = (tables: Tables, row: OrganizationRow): Organization => ({
  ...row,
  externalIds: keysOf(tables.organizationKeys, row.id)
})

export const fromContact = (contact: Contact, mergedIntoId: string | null): ContactRow => {
  const { externalIds: _, ...row } = contact
  return { ...row, mergedIntoId }
}

export const fromOrganization = (organization: Organization): OrganizationRow => {
  const { externalIds: _, ...row } = organization
  return row
}

/**
 * Runs `change` on a copy of the tables and publishes it only if it finishes: the atomicity of a
 * database transaction. A thrown error becomes a `StoreError`, as the Drizzle adapters map them.
 */
export const transaction = <A>(
  database: { tables: Tables },
  change: (tables: Tables, now: string) => A
) =>
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

export const ensure = (table: Map<string, string>, name: string, now: string) => {
  if (!table.has(name)) table.set(name, now)
}
