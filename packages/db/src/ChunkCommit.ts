import type { ChunkWrites } from "@xcontacts/domain"
import { getTableColumns, type SQL, sql } from "drizzle-orm"
import type { PgTable } from "drizzle-orm/pg-core"
import type { Db } from "./Database.ts"
import {
  contactExternalIds,
  contactMerges,
  contacts,
  divisions,
  externalSources,
  importJobs,
  importProblems,
  importRows,
  organizationExternalIds,
  organizations
} from "./DbSchema.ts"
import { insertJson, rowsOf, type Upsert } from "./JsonRows.ts"
import { fromContact, fromOrganization } from "./Rows.ts"

const notUpdated = new Set(["id", "createdAt", "mergedIntoId"])

/** Upsert by id, setting every column but the key, the creation time and merge marks. */
const upsertById = (table: PgTable): Upsert => ({
  target: "id",
  update: Object.keys(getTableColumns(table)).filter((field) => !notUpdated.has(field))
})

const contactUpsert = upsertById(contacts)
const organizationUpsert = upsertById(organizations)

/** The problems a chunk adds to its job: its rows' and any of the file itself. */
const problemsOf = (writes: ChunkWrites): number =>
  writes.rows.reduce((sum, row) => sum + row.problems.length, writes.problems.length)

/** Whether the chunk may be written: its job is in the chunk's state, or there is no such job. */
const allowed = sql`(select allowed from gate)`

/**
 * Merges, set-based: each absorbed contact's External IDs move to its survivor, it (and whatever
 * was merged into it before) is marked merged into the survivor, and a record keeps what moved.
 * One statement serves any number of merges because a chunk's merges never chain: an absorbed
 * contact is skipped by the rest of the file and a survivor is claimed, so no contact is both.
 */
const mergeParts = (writes: ChunkWrites): Array<SQL> => {
  if (writes.merges.length === 0) return []
  const list = JSON.stringify(
    writes.merges.map((merge, position) => ({
      survivor_id: merge.survivorId,
      absorbed_id: merge.absorbedId,
      line: merge.line,
      position
    }))
  )
  return [
    sql`merge_list as (select * from jsonb_to_recordset(${list}::jsonb)
      as m(survivor_id text, absorbed_id text, line integer, position integer))`,
    sql`moved as (update ${contactExternalIds} x set contact_id = m.survivor_id
      from merge_list m where x.contact_id = m.absorbed_id and ${allowed}
      returning m.absorbed_id, x.source, x.external_id, x.ctid as place)`,
    sql`absorbed as (update ${contacts} c set merged_into_id = m.survivor_id, updated_at = now()
      from merge_list m
      where (c.id = m.absorbed_id or c.merged_into_id = m.absorbed_id) and ${allowed})`,
    sql`merge_records as (insert into ${contactMerges}
      (survivor_id, absorbed_id, moved_external_ids, job_id, line)
      select m.survivor_id, m.absorbed_id, coalesce((select jsonb_agg(jsonb_build_object(
          'source', v.source, 'externalId', v.external_id) order by v.place)
        from moved v where v.absorbed_id = m.absorbed_id), '[]'::jsonb), ${writes.job.id}, m.line
      from merge_list m where ${allowed} order by m.position)`
  ]
}

/** The writes of a chunk's contacts and organizations, in the order their keys need them. */
const recordParts = (writes: ChunkWrites): Array<SQL> => {
  // Validation's records go to the job's stage, written after this statement (ImportStageDrizzle).
  if (writes.target._tag === "Stage") return []
  const records = writes.contacts.length + writes.organizations.length + writes.merges.length
  if (records === 0) return []
  const keys = (
    owner: "organizationId" | "contactId",
    ids: ReadonlyArray<Record<string, string>>
  ) =>
    ids.map((id) => ({
      source: writes.source,
      division: writes.division,
      externalId: id["externalId"],
      [owner]: id[owner]
    }))
  return [
    part(
      "division",
      sql`insert into ${divisions} (name) select ${writes.division} where ${allowed}
        on conflict do nothing`
    ),
    part(
      "source",
      sql`insert into ${externalSources} (name) select ${writes.source} where ${allowed}
        on conflict do nothing`
    ),
    part(
      "organization_rows",
      insertJson(
        organizations,
        writes.organizations.map(fromOrganization),
        organizationUpsert,
        allowed
      )
    ),
    part(
      "organization_keys",
      insertJson(
        organizationExternalIds,
        keys("organizationId", writes.organizationExternalIds),
        undefined,
        allowed
      )
    ),
    part(
      "contact_rows",
      insertJson(contacts, writes.contacts.map(fromContact), contactUpsert, allowed)
    ),
    ...mergeParts(writes),
    part(
      "contact_keys",
      insertJson(
        contactExternalIds,
        keys("contactId", writes.contactExternalIds),
        undefined,
        allowed
      )
    )
  ].filter((statement) => statement !== null)
}

/** One named part of the commit's `with`, or null when it has nothing to write. */
const part = (name: string, statement: SQL | null): SQL | null =>
  statement === null ? null : sql`${sql.raw(name)} as (${statement})`

/**
 * A chunk's commit as one statement: the job's counters, progress and checkpoint, the chunk's
 * records, merges, row records and problems, each a data-modifying part of one `with`. One
 * statement is atomic without a transaction around it and costs one round trip instead of a dozen
 * plus three per merge. Every part writes only if the job is still in the chunk's state (or no job
 * has the id); otherwise nothing is written and the answer is false. The parts do not see each
 * other's rows, and need not: they write different rows, and foreign keys are checked at the end
 * of the statement.
 */
export const commitChunk = async (db: Db, writes: ChunkWrites): Promise<boolean> => {
  const { job } = writes
  const jobId = job.id
  const parts = [
    sql`job as (update ${importJobs} set counters = ${JSON.stringify(job.counters)}::jsonb,
      checkpoint_line = ${job.checkpointLine}, progress = ${JSON.stringify(job.progress)}::jsonb,
      problem_count = problem_count + ${problemsOf(writes)}, updated_at = now()
      where id = ${jobId} and state = ${job.state} returning id)`,
    sql`gate as (select exists (select from job)
      or not exists (select from ${importJobs} where id = ${jobId}) as allowed)`,
    ...recordParts(writes),
    part(
      "row_records",
      insertJson(
        importRows,
        writes.rows.map((row) => ({ ...row, jobId })),
        undefined,
        allowed
      )
    ),
    part(
      "problems",
      insertJson(
        importProblems,
        writes.problems.map((problem) => ({ ...problem, jobId })),
        undefined,
        allowed
      )
    )
  ].filter((statement) => statement !== null)
  const result = await db.execute(
    sql`with ${sql.join(parts, sql`, `)} select ${allowed} as committed`
  )
  return rowsOf<{ committed: boolean }>(result)[0]!.committed
}
