import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm"
import type { PgTable } from "drizzle-orm/pg-core"

/** How an insert meets a row that is already there: update the named fields from the new row. */
export interface Upsert {
  /** The field, or the fields, of the unique key that a conflict is on. */
  readonly target: string | ReadonlyArray<string>
  readonly update: ReadonlyArray<string>
}

/**
 * One `insert … select from jsonb_populate_recordset($1)` for any number of rows, keyed by the
 * table's field names as in Drizzle's insert values. One bind parameter whatever the row count:
 * no batching below PostgreSQL's parameter limit, and no statement text built per value, which is
 * where Drizzle's multi-row `values()` spends its time on a chunk of a thousand contacts. Only
 * the fields the first row sets are written; the others take their defaults.
 */
export const insertJson = (
  table: PgTable,
  rows: ReadonlyArray<Record<string, unknown>>,
  upsert?: Upsert,
  /** A condition that must hold for any row to be written. */
  when?: SQL
): SQL | null => {
  const first = rows[0]
  if (first === undefined) return null
  const columns = getTableColumns(table)
  const fields = Object.keys(first).filter((field) => columns[field] !== undefined)
  const names = fields.map((field) => columns[field]!.name)
  const json = JSON.stringify(
    rows.map((row) => {
      const record: Record<string, unknown> = {}
      for (let index = 0; index < fields.length; index++) {
        record[names[index]!] = row[fields[index]!] ?? null
      }
      return record
    })
  )
  const list = names.map((name) => `"${name}"`).join(", ")
  const into = sql.identifier(getTableName(table))
  const statement = sql`insert into ${into} (${sql.raw(list)})
    select ${sql.raw(list)} from jsonb_populate_recordset(null::${into}, ${json}::jsonb)
    ${when === undefined ? sql`` : sql`where ${when}`}`
  if (upsert === undefined) return statement
  const target = (typeof upsert.target === "string" ? [upsert.target] : upsert.target)
    .map((field) => `"${columns[field]!.name}"`)
    .join(", ")
  const set = upsert.update
    .map((field) => columns[field]!.name)
    .map((name) => `"${name}" = excluded."${name}"`)
    .join(", ")
  return sql`${statement} on conflict (${sql.raw(target)}) do update set ${sql.raw(set)}`
}

/** Both drivers (node-postgres and PGlite) answer a raw statement with `{ rows }`. */
export const rowsOf = <R>(result: unknown): Array<R> => (result as { rows: Array<R> }).rows

/**
 * Reads a row that the database sent as JSON (`row_to_json`, keyed by column names) into the
 * shape Drizzle's `select()` gives: fields by their schema names, absent columns as null. JSON
 * carries what the drivers would: timestamps as text, arrays and jsonb as values; a `numeric`
 * must be sent as text to keep its digits.
 */
export const fromJsonRow = <T extends PgTable>(
  table: T,
  json: Record<string, unknown>
): T["$inferSelect"] => {
  const row: Record<string, unknown> = {}
  for (const [field, column] of Object.entries(getTableColumns(table))) {
    row[field] = json[column.name] ?? null
  }
  return row as T["$inferSelect"]
}
