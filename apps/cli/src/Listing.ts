import { Console, Effect, Option } from "effect"

const pageSize = 500

/**
 * Prints every record that `page` yields, page after page by id cursor, so that a store of
 * millions is exported without holding it in memory. With `json` the output is one JSON array.
 */
export const printAll = <A extends { readonly id: string }, E, R>(options: {
  readonly page: (after: string | undefined, limit: number) => Effect.Effect<ReadonlyArray<A>, E, R>
  readonly limit: Option.Option<number>
  readonly json: boolean
  readonly line: (record: A) => string
}) =>
  Effect.gen(function* () {
    let remaining = Option.getOrElse(options.limit, () => Number.POSITIVE_INFINITY)
    let after: string | undefined
    let first = true
    if (options.json) yield* Console.log("[")
    while (remaining > 0) {
      const records = yield* options.page(after, Math.min(pageSize, remaining))
      for (const record of records) {
        if (options.json) {
          yield* Console.log(`${first ? "" : ","}${JSON.stringify(record)}`)
        } else {
          yield* Console.log(options.line(record))
        }
        first = false
      }
      remaining -= records.length
      if (records.length < pageSize) break
      after = records[records.length - 1]!.id
    }
    if (options.json) yield* Console.log("]")
  })
