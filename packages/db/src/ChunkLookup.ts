import type {
  Contact,
  ImportFound,
  ImportLookup,
  Organization,
  OrganizationEffect
} from "@xcontacts/domain"
import { type SQL, sql } from "drizzle-orm"
import type { Db } from "./Database.ts"
import {
  contactExternalIds,
  contacts,
  importRows,
  organizationExternalIds,
  organizations
} from "./DbSchema.ts"
import { fromJsonRow, rowsOf } from "./JsonRows.ts"
import { groupExternalIds, toContact, toOrganization } from "./Rows.ts"

const texts = (values: ReadonlyArray<string>): SQL => sql`${sql.param([...values])}::text[]`

/**
 * Contacts of the division whose email or E.164 phone is among the lookup's: one GIN probe per
 * key (`@> array[key]` joined to the unnested keys). Written as `&& $1` beside the division and
 * merge filters, the planner may (and with statistics that lag behind a growing table does) scan
 * every contact of the division and compare each one's keys with the chunk's thousand: the import
 * turns quadratic in the size of the store.
 */
const candidates = (lookup: ImportLookup): SQL => {
  const probe = (column: string, keys: ReadonlyArray<string>) =>
    sql`select c.id from unnest(${texts(keys)}) as k(key)
      join ${contacts} c on c.${sql.raw(column)} @> array[k.key]
      where c.division = ${lookup.division} and c.merged_into_id is null`
  const arms: Array<SQL> = []
  if (lookup.emails.length > 0) arms.push(probe("email_keys", lookup.emails))
  if (lookup.phones.length > 0) arms.push(probe("phone_keys", lookup.phones))
  return arms.length === 0 ? sql`select null::text as id where false` : sql.join(arms, sql` union `)
}

const byStrength: ReadonlyArray<OrganizationEffect> = ["unchanged", "updated", "created"]

/**
 * The job's earlier rows are read by index probes per key (`… from unnest($keys) k` with a
 * subquery on `k.key`): written as `key = any($keys)` beside the job, and with `import_rows` never
 * analyzed, the planner reads every row of the job through the `job_id` prefix of an index and
 * filters, and a chunk's recall grows with the file (37 ms at 60,000 of 100,000 rows, against
 * 4 ms). Organization effects are probed strongest first through `(job_id, organization_key,
 * organization_effect)`, one entry per key and effect, instead of grouping every row that named
 * the organization.
 */
const recalled = (lookup: ImportLookup): { firstLines: SQL; effects: SQL } => {
  const probe = (effect: OrganizationEffect) =>
    sql`(select ${byStrength.indexOf(effect)}::int from ${importRows} r
      where r.job_id = ${lookup.jobId} and r.organization_key = k.key
      and r.organization_effect = ${effect} limit 1)`
  return {
    firstLines: sql`select k.key, first.line from unnest(${texts(lookup.externalIds)}) as k(key)
      cross join lateral (select min(r.line) as line from ${importRows} r
        where r.job_id = ${lookup.jobId} and r.external_id = k.key) first
      where first.line is not null`,
    effects: sql`select key, strength from (select k.key,
        coalesce(${probe("created")}, ${probe("updated")}, ${probe("unchanged")}) as strength
        from unnest(${texts(lookup.organizationKeys)}) as k(key)) found
      where strength is not null`
  }
}

interface LookupRow {
  readonly contact_keys: Array<[string, string]> | null
  readonly organization_keys: Array<[string, string]> | null
  readonly candidates: Array<string> | null
  readonly contacts: Array<Record<string, unknown>> | null
  readonly contact_external_ids: Array<[string, string, string]> | null
  /** Each row with its `numeric` revenue as text, which JSON would round to a double. */
  readonly organizations: Array<[Record<string, unknown>, string | null]> | null
  readonly organization_external_ids: Array<[string, string, string]> | null
  readonly first_lines: Array<[string, number]> | null
  readonly organization_effects: Array<[string, number]> | null
}

/**
 * Everything a chunk's plan reads, in one statement and one round trip: the contacts and
 * organizations its External IDs and organization keys name, the legacy candidates its emails and
 * phones match, each with its External IDs, and what the job's earlier chunks decided about its
 * keys. Each part travels as one JSON array. A record's External IDs keep the order in which a
 * scan of the table finds them (`ctid`), as the separate queries did.
 */
export const lookupChunk = async (db: Db, lookup: ImportLookup): Promise<ImportFound> => {
  const { firstLines, effects } = recalled(lookup)
  const result = await db.execute(sql`with
    contact_keys as (select x.external_id, x.contact_id
      from unnest(${texts(lookup.externalIds)}) as k(key) join ${contactExternalIds} x
        on x.source = ${lookup.source} and x.division = ${lookup.division}
        and x.external_id = k.key),
    organization_keys as (select x.external_id, x.organization_id
      from unnest(${texts(lookup.organizationKeys)}) as k(key) join ${organizationExternalIds} x
        on x.source = ${lookup.source} and x.division = ${lookup.division}
        and x.external_id = k.key),
    candidates as (${candidates(lookup)}),
    wanted as (select contact_id as id from contact_keys union select id from candidates)
    select
      (select json_agg(json_build_array(external_id, contact_id)) from contact_keys)
        as contact_keys,
      (select json_agg(json_build_array(external_id, organization_id)) from organization_keys)
        as organization_keys,
      (select json_agg(id) from candidates) as candidates,
      (select json_agg(row_to_json(c)) from ${contacts} c
        where c.id = any(array(select id from wanted))) as contacts,
      (select json_agg(json_build_array(x.contact_id, x.source, x.external_id) order by x.ctid)
        from ${contactExternalIds} x where x.contact_id = any(array(select id from wanted)))
        as contact_external_ids,
      (select json_agg(json_build_array(row_to_json(o), o.revenue::text))
        from ${organizations} o
        where o.id = any(array(select organization_id from organization_keys)))
        as organizations,
      (select json_agg(json_build_array(x.organization_id, x.source, x.external_id)
          order by x.ctid)
        from ${organizationExternalIds} x
        where x.organization_id = any(array(select organization_id from organization_keys)))
        as organization_external_ids,
      (select json_agg(json_build_array(key, line)) from (${firstLines}) found) as first_lines,
      (select json_agg(json_build_array(key, strength)) from (${effects}) found)
        as organization_effects`)
  const row = rowsOf<LookupRow>(result)[0]!
  const contactIds = groupExternalIds(
    (row.contact_external_ids ?? []).map(([owner, source, externalId]) => ({
      owner,
      source,
      externalId
    })),
    (id) => id.owner
  )
  const loadedContacts = new Map<string, Contact>()
  for (const json of row.contacts ?? []) {
    const stored = fromJsonRow(contacts, json)
    loadedContacts.set(stored.id, toContact(stored, contactIds.get(stored.id) ?? []))
  }
  const organizationIds = groupExternalIds(
    (row.organization_external_ids ?? []).map(([owner, source, externalId]) => ({
      owner,
      source,
      externalId
    })),
    (id) => id.owner
  )
  const loadedOrganizations = new Map<string, Organization>()
  for (const [json, revenue] of row.organizations ?? []) {
    const stored = { ...fromJsonRow(organizations, json), revenue }
    loadedOrganizations.set(stored.id, toOrganization(stored, organizationIds.get(stored.id) ?? []))
  }
  return {
    contacts: new Map(
      (row.contact_keys ?? []).map(([externalId, id]) => [externalId, loadedContacts.get(id)!])
    ),
    organizations: new Map(
      (row.organization_keys ?? []).map(([key, id]) => [key, loadedOrganizations.get(id)!])
    ),
    candidates: (row.candidates ?? []).map((id) => loadedContacts.get(id)!),
    recalled: {
      firstLines: new Map(row.first_lines ?? []),
      organizationEffects: new Map(
        (row.organization_effects ?? []).map(([key, strength]) => [key, byStrength[strength]!])
      )
    }
  }
}
