/** Splits rows into batches that stay below PostgreSQL's limit of 65,535 bind parameters. */
export const batches = <A>(rows: ReadonlyArray<A>, size: number): Array<Array<A>> => {
  const result: Array<Array<A>> = []
  for (let start = 0; start < rows.length; start += size)
    result.push(rows.slice(start, start + size))
  return result
}

/** Rows per insert for a table of `columns` columns. */
export const batchSize = (columns: number): number => Math.max(1, Math.floor(60_000 / columns))
