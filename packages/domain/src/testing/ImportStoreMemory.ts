import { Effect, Layer } from "effect"
import { type Contact, contactE164s, contactEmailKeys } from "../Contact.ts"
import type { Organization } from "../Organization.ts"
import {
  type ChunkWrites,
  type ImportFound,
  type ImportLookup,
  ImportStore,
  type OrganizationEffect,
  type RecordTarget
} from "../ports/ImportStore.ts"
import {
  copyTables,
  ensure,
  fromContact,
  fromOrganization,
  insertKey,
  keyOf,
  keysOf,
  MemoryDatabase,
  type Tables,
  toContact,
  toOrganization,
  transaction
} from "./MemoryTables.ts"

const strength: Record<OrganizationEffect, number> = { unchanged: 0, updated: 1, created: 2 }

/** The tables a pass's records live in: the store's, or the job's stage over them. */
const recordsOf = (tables: Tables, target: RecordTarget): Tables =>
  target._tag === "Store" ? tables : (tables.stages.get(target.jobId) ?? tables)

const find = (tables: Tables, lookup: ImportLookup): Omit<ImportFound, "recalled"> => {
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
}

const writeRecords = (tables: Tables, writes: ChunkWrites, now: string) => {
  const writesRecords = writes.contacts.length + writes.organizations.length > 0
  if (!writesRecords && writes.merges.length === 0) return
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
}

/** The import's lookups and atomic chunk commits on the in-memory tables. */
export const ImportStoreMemory = Layer.effect(
  ImportStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    return ImportStore.of({
      resolve: (lookup, target) =>
        transaction(database, (tables): ImportFound => {
          const wantedIds = new Set(lookup.externalIds)
          const wantedKeys = new Set(lookup.organizationKeys)
          const firstLines = new Map<string, number>()
          const organizationEffects = new Map<string, OrganizationEffect>()
          for (const row of tables.jobRows.get(lookup.jobId)?.values() ?? []) {
            if (row.externalId !== null && wantedIds.has(row.externalId)) {
              const seen = firstLines.get(row.externalId)
              if (seen === undefined || row.line < seen) firstLines.set(row.externalId, row.line)
            }
            const key = row.organizationKey
            if (key !== null && row.organizationEffect !== null && wantedKeys.has(key)) {
              const seen = organizationEffects.get(key)
              if (seen === undefined || strength[row.organizationEffect] > strength[seen]) {
                organizationEffects.set(key, row.organizationEffect)
              }
            }
          }
          return {
            ...find(recordsOf(tables, target), lookup),
            recalled: { firstLines, organizationEffects }
          }
        }),
      commit: (writes: ChunkWrites) =>
        transaction(database, (tables, now) => {
          const entry = tables.jobs.get(writes.job.id)
          if (entry !== undefined && entry.job.state !== writes.job.state) return false
          const rows = new Map(tables.jobRows.get(writes.job.id))
          for (const row of writes.rows) rows.set(row.line, row)
          tables.jobRows.set(writes.job.id, rows)
          if (entry !== undefined) {
            tables.jobs.set(writes.job.id, {
              job: {
                ...entry.job,
                counters: writes.job.counters,
                checkpointLine: writes.job.checkpointLine,
                progress: writes.job.progress,
                updatedAt: now
              },
              fileProblems: [...entry.fileProblems, ...writes.problems]
            })
          }
          if (writes.target._tag === "Store") writeRecords(tables, writes, now)
          else {
            const stage = copyTables(recordsOf(tables, writes.target))
            stage.stages.clear()
            writeRecords(stage, writes, now)
            tables.stages.set(writes.target.jobId, stage)
          }
          return true
        }),
      dropStage: (jobId) =>
        transaction(database, (tables) => {
          tables.stages.delete(jobId)
        }),
      // The in-memory tables keep no replaced records.
      reclaim: () => Effect.void
    })
  })
)
