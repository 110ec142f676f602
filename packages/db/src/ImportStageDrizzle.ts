import {
  type ChunkWrites,
  type Contact,
  contactE164s,
  contactEmailKeys,
  type ImportFound,
  type ImportLookup,
  type Organization
} from "@xcontacts/domain"
import { and, eq, sql } from "drizzle-orm"
import { anyOf } from "./AnyOf.ts"
import type { Db } from "./Database.ts"
import { importStageContacts, importStageKeys, importStageOrganizations } from "./DbSchema.ts"
import { insertJson } from "./JsonRows.ts"

/**
 * A validation's stage (docs/adr/0402): what its chunks would have written, as an overlay on the
 * store that only the job's own lookups see. A staged record wins over the store's record of the
 * same id; the stage's keys add to the store's, and a staged contact no longer matches by a key
 * its staged record has lost; an absorbed contact is no candidate.
 */

/** What the store itself answered for a lookup, by id, before the stage is laid over it. */
export interface StoreIds {
  readonly contactByExternalId: ReadonlyMap<string, string>
  readonly organizationByKey: ReadonlyMap<string, string>
  readonly candidateIds: ReadonlyArray<string>
}

type Loader<A> = (ids: ReadonlyArray<string>) => Promise<Map<string, A>>

const rowsOf = <A>(result: unknown): Array<A> => (result as { rows: Array<A> }).rows

export const resolveStaged = async (
  db: Db,
  jobId: string,
  lookup: ImportLookup,
  store: StoreIds,
  loadContacts: Loader<Contact>,
  loadOrganizations: Loader<Organization>
): Promise<ImportFound> => {
  const wanted = (kind: string, keys: ReadonlyArray<string>) =>
    sql`(${importStageKeys.kind} = ${kind} and ${importStageKeys.key} = any(${sql.param([...keys])}::text[]))`
  const keys = rowsOf<{ kind: string; key: string; owner: string }>(
    await db.execute(sql`select ${importStageKeys.kind} as kind, ${importStageKeys.key} as key,
        ${importStageKeys.owner} as owner
      from ${importStageKeys}
      where ${importStageKeys.jobId} = ${jobId} and (${wanted("ext", lookup.externalIds)}
        or ${wanted("org", lookup.organizationKeys)} or ${wanted("email", lookup.emails)}
        or ${wanted("phone", lookup.phones)})`)
  )
  const contactByExternalId = new Map(store.contactByExternalId)
  const organizationByKey = new Map(store.organizationByKey)
  const candidateIds = new Set(store.candidateIds)
  for (const { kind, key, owner } of keys) {
    if (kind === "ext") contactByExternalId.set(key, owner)
    else if (kind === "org") organizationByKey.set(key, owner)
    else candidateIds.add(owner)
  }
  const contactIds = [...new Set([...contactByExternalId.values(), ...candidateIds])]
  const organizationIds = [...new Set(organizationByKey.values())]
  const [stagedContacts, stagedOrganizations] = await Promise.all([
    contactIds.length === 0
      ? []
      : db
          .select()
          .from(importStageContacts)
          .where(
            and(eq(importStageContacts.jobId, jobId), anyOf(importStageContacts.id, contactIds))
          ),
    organizationIds.length === 0
      ? []
      : db
          .select()
          .from(importStageOrganizations)
          .where(
            and(
              eq(importStageOrganizations.jobId, jobId),
              anyOf(importStageOrganizations.id, organizationIds)
            )
          )
  ])
  const contacts = new Map<string, Contact>()
  const absorbed = new Set<string>()
  for (const row of stagedContacts) {
    if (row.absorbed) absorbed.add(row.id)
    else contacts.set(row.id, row.record as Contact)
  }
  const organizations = new Map(
    stagedOrganizations.map((row) => [row.id, row.record as Organization])
  )
  const fromStore = await loadContacts(contactIds.filter((id) => !contacts.has(id)))
  for (const [id, contact] of fromStore) contacts.set(id, contact)
  const fromStoreOrganizations = await loadOrganizations(
    organizationIds.filter((id) => !organizations.has(id))
  )
  for (const [id, organization] of fromStoreOrganizations) organizations.set(id, organization)

  const emails = new Set(lookup.emails)
  const phones = new Set(lookup.phones)
  const stillMatches = (contact: Contact) =>
    contactEmailKeys(contact).some((key) => emails.has(key)) ||
    contactE164s(contact).some((key) => phones.has(key))
  const candidates: Array<Contact> = []
  for (const id of candidateIds) {
    const contact = contacts.get(id)
    if (contact !== undefined && !absorbed.has(id) && stillMatches(contact)) {
      candidates.push(contact)
    }
  }
  const found = <A>(byKey: ReadonlyMap<string, string>, records: ReadonlyMap<string, A>) => {
    const result = new Map<string, A>()
    for (const [key, id] of byKey) {
      const record = records.get(id)
      if (record !== undefined) result.set(key, record)
    }
    return result
  }
  return {
    contacts: found(contactByExternalId, contacts),
    organizations: found(organizationByKey, organizations),
    candidates
  }
}

/** Writes a chunk's records to the job's stage instead of the store. */
export const writeStage = async (tx: Db, writes: ChunkWrites, jobId: string): Promise<void> => {
  const run = async (statement: ReturnType<typeof insertJson>) => {
    if (statement !== null) await tx.execute(statement)
  }
  const contactIds = writes.contacts.map((contact) => contact.id)
  await run(
    insertJson(
      importStageContacts,
      writes.contacts.map((contact) => ({ jobId, id: contact.id, record: contact })),
      { target: ["jobId", "id"], update: ["record"] }
    )
  )
  await run(
    insertJson(
      importStageContacts,
      writes.merges.map((merge) => ({ jobId, id: merge.absorbedId, absorbed: true })),
      { target: ["jobId", "id"], update: ["absorbed"] }
    )
  )
  await run(
    insertJson(
      importStageOrganizations,
      writes.organizations.map((organization) => ({
        jobId,
        id: organization.id,
        record: organization
      })),
      { target: ["jobId", "id"], update: ["record"] }
    )
  )
  if (contactIds.length > 0) {
    await tx.execute(sql`delete from ${importStageKeys} where ${importStageKeys.jobId} = ${jobId}
      and ${importStageKeys.kind} in ('email', 'phone')
      and ${importStageKeys.owner} = any(${sql.param(contactIds)}::text[])`)
  }
  const keys: Array<{ jobId: string; kind: string; key: string; owner: string }> = []
  for (const contact of writes.contacts) {
    for (const key of new Set(contactEmailKeys(contact))) {
      keys.push({ jobId, kind: "email", key, owner: contact.id })
    }
    for (const key of new Set(contactE164s(contact))) {
      keys.push({ jobId, kind: "phone", key, owner: contact.id })
    }
  }
  for (const { contactId, externalId } of writes.contactExternalIds) {
    keys.push({ jobId, kind: "ext", key: externalId, owner: contactId })
  }
  for (const { organizationId, externalId } of writes.organizationExternalIds) {
    keys.push({ jobId, kind: "org", key: externalId, owner: organizationId })
  }
  await run(insertJson(importStageKeys, keys))
}

export const dropStage = async (db: Db, jobId: string): Promise<void> => {
  await db.transaction(async (tx) => {
    await tx.delete(importStageKeys).where(eq(importStageKeys.jobId, jobId))
    await tx.delete(importStageContacts).where(eq(importStageContacts.jobId, jobId))
    await tx.delete(importStageOrganizations).where(eq(importStageOrganizations.jobId, jobId))
  })
}
