import {
  type ChunkWrites,
  type Contact,
  contactE164s,
  contactEmailKeys,
  type ImportFound,
  type ImportLookup,
  type Organization
} from "@xcontacts/domain"
import { and, eq, type SQL, sql } from "drizzle-orm"
import { anyOf } from "./AnyOf.ts"
import type { Db } from "./Database.ts"
import { importStageContacts, importStageKeys, importStageOrganizations } from "./DbSchema.ts"
import { insertJson, rowsOf } from "./JsonRows.ts"
import { changedRows } from "./Rows.ts"

/**
 * A validation's stage (docs/adr/0402): what its chunks would have written, as an overlay on the
 * store that only the job's own lookups see. A staged record wins over the store's record of the
 * same id; the stage's keys add to the store's, and a staged contact no longer matches by a key
 * its staged record has lost; an absorbed contact is no candidate.
 */

/**
 * The staged keys among a lookup's, with the contact or organization each belongs to: one index
 * probe per key (the subquery's `offset 0` keeps it from being flattened into a join). Written as
 * `job_id = $1 and (kind = … and key = any($2) or …)`, the planner chose a parallel scan of every
 * key the job had staged once the stage passed a few hundred thousand keys, and validation turned
 * quadratic in the file (a chunk's lookup went from 3 to 126 ms over the first 200,000 rows).
 */
export const stagedKeysQuery = (
  jobId: string,
  lookup: Pick<ImportLookup, "externalIds" | "organizationKeys" | "emails" | "phones">
): SQL | null => {
  const kinds: Array<string> = []
  const wanted: Array<string> = []
  const want = (kind: string, keys: ReadonlyArray<string>) => {
    for (const key of keys) {
      kinds.push(kind)
      wanted.push(key)
    }
  }
  want("ext", lookup.externalIds)
  want("org", lookup.organizationKeys)
  want("email", lookup.emails)
  want("phone", lookup.phones)
  if (wanted.length === 0) return null
  return sql`select w.kind, w.key, s.owner
    from unnest(${sql.param(kinds)}::text[], ${sql.param(wanted)}::text[]) as w(kind, key)
    cross join lateral (select k.owner from ${importStageKeys} k
      where k.job_id = ${jobId} and k.kind = w.kind and k.key = w.key offset 0) s`
}

/** Lays the job's stage over what the store found for a lookup. */
export const overlayStage = async (
  db: Db,
  jobId: string,
  lookup: ImportLookup,
  found: ImportFound
): Promise<ImportFound> => {
  const probe = stagedKeysQuery(jobId, lookup)
  const keys =
    probe === null
      ? []
      : rowsOf<{ kind: string; key: string; owner: string }>(await db.execute(probe))
  const contactIds = new Set<string>()
  for (const contact of found.contacts.values()) contactIds.add(contact.id)
  for (const contact of found.candidates) contactIds.add(contact.id)
  const organizationIds = new Set<string>(
    [...found.organizations.values()].map((organization) => organization.id)
  )
  for (const { kind, owner } of keys) {
    if (kind === "org") organizationIds.add(owner)
    else contactIds.add(owner)
  }
  const [stagedContacts, stagedOrganizations] = await Promise.all([
    contactIds.size === 0
      ? []
      : db
          .select()
          .from(importStageContacts)
          .where(
            and(
              eq(importStageContacts.jobId, jobId),
              anyOf(importStageContacts.id, [...contactIds])
            )
          ),
    organizationIds.size === 0
      ? []
      : db
          .select()
          .from(importStageOrganizations)
          .where(
            and(
              eq(importStageOrganizations.jobId, jobId),
              anyOf(importStageOrganizations.id, [...organizationIds])
            )
          )
  ])
  const staged = new Map<string, Contact>()
  const absorbed = new Set<string>()
  for (const row of stagedContacts) {
    if (row.absorbed) absorbed.add(row.id)
    else staged.set(row.id, row.record as Contact)
  }
  const stagedOrganization = new Map<string, Organization>(
    stagedOrganizations.map((row) => [row.id, row.record as Organization])
  )
  const contact = (stored: Contact): Contact => staged.get(stored.id) ?? stored
  const organization = (stored: Organization): Organization =>
    stagedOrganization.get(stored.id) ?? stored

  const contacts = new Map([...found.contacts].map(([key, stored]) => [key, contact(stored)]))
  const organizations = new Map(
    [...found.organizations].map(([key, stored]) => [key, organization(stored)])
  )
  const candidates = new Map<string, Contact>(
    found.candidates.map((stored) => [stored.id, contact(stored)])
  )
  for (const { kind, key, owner } of keys) {
    if (kind === "ext") {
      const record = staged.get(owner)
      if (record !== undefined) contacts.set(key, record)
    } else if (kind === "org") {
      const record = stagedOrganization.get(owner)
      if (record !== undefined) organizations.set(key, record)
    } else {
      const record = staged.get(owner)
      if (record !== undefined) candidates.set(owner, record)
    }
  }
  const emails = new Set(lookup.emails)
  const phones = new Set(lookup.phones)
  const stillMatches = (candidate: Contact) =>
    contactEmailKeys(candidate).some((key) => emails.has(key)) ||
    contactE164s(candidate).some((key) => phones.has(key))
  return {
    ...found,
    contacts,
    organizations,
    candidates: [...candidates.values()].filter(
      (candidate) => !absorbed.has(candidate.id) && stillMatches(candidate)
    )
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

/**
 * Deletes the job's stage, inside the caller's transaction: the stage holds no foreign key to its
 * job (docs/adr/0601), so whatever ends or deletes a job drops it here. Returns the rows deleted.
 */
export const dropStage = async (tx: Db, jobId: string): Promise<number> =>
  changedRows(await tx.delete(importStageKeys).where(eq(importStageKeys.jobId, jobId))) +
  changedRows(await tx.delete(importStageContacts).where(eq(importStageContacts.jobId, jobId))) +
  changedRows(
    await tx.delete(importStageOrganizations).where(eq(importStageOrganizations.jobId, jobId))
  )

/** A dropped stage of at least this many rows is vacuumed (`vacuumStage`). */
export const vacuumStageFrom = 10_000

/**
 * Makes the space of dropped stages reusable, and gives back the empty pages at the end. PGlite
 * has no autovacuum and servers may run without it: without this, every validation's stage
 * stayed in the data folder as dead rows, and the next one wrote past them. Outside a
 * transaction.
 */
export const vacuumStage = (db: Db) =>
  db.execute(sql`vacuum ${importStageContacts}, ${importStageKeys}, ${importStageOrganizations}`)
