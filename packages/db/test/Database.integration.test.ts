import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Database } from "../src/index.ts"
import { scratchDatabase, skipReason, testDatabaseUrl } from "./TestDatabase.ts"

const journal = JSON.parse(
  readFileSync(new URL("../drizzle/meta/_journal.json", import.meta.url), "utf8")
) as { readonly entries: ReadonlyArray<unknown> }

/** Opens the database at `url` (which migrates it) and reports how many migrations it holds. */
const openAndCount = (url: string) =>
  Effect.gen(function* () {
    const database = yield* Database
    return yield* database.appliedMigrations
  }).pipe(Effect.provide(Layer.fresh(Database.layer({ _tag: "Postgres", url }))))

const migrations = () => {
  it.effect(
    "applies every migration once when two openers start on an empty database at once",
    () =>
      Effect.gen(function* () {
        const { url } = yield* scratchDatabase
        const counts = yield* Effect.all([openAndCount(url), openAndCount(url)], {
          concurrency: "unbounded"
        })
        assert.deepStrictEqual(counts, [journal.entries.length, journal.entries.length])
        assert.strictEqual(yield* openAndCount(url), journal.entries.length)
      }).pipe(Effect.scoped),
    { timeout: 60_000 }
  )
}

if (testDatabaseUrl === undefined) describe.skip("PostgreSQL", () => it.skip(skipReason))
else describe("migrating PostgreSQL", migrations)
