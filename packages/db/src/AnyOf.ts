import { type SQL, sql } from "drizzle-orm"
import type { PgColumn } from "drizzle-orm/pg-core"

/**
 * `column = any($1)` with the values as one text array parameter. Unlike `IN ($1, $2, …)` it needs
 * one bind parameter whatever the number of values, so a chunk's keys never approach PostgreSQL's
 * limit of 65,535 and every chunk size shares one statement text.
 */
export const anyOf = (column: PgColumn, values: ReadonlyArray<string>): SQL =>
  sql`${column} = any(${sql.param([...values])}::text[])`
