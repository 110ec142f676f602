import { ExternalSourceStore } from "@xcontacts/domain"
import { asc } from "drizzle-orm"
import { Effect, Layer } from "effect"
import { Database } from "./Database.ts"
import { divisions, externalSources } from "./DbSchema.ts"
import { iso } from "./Rows.ts"

/** External sources and divisions read from PGlite or PostgreSQL through Drizzle, by name. */
export const ExternalSourceStoreDrizzle = Layer.effect(
  ExternalSourceStore,
  Effect.gen(function* () {
    const database = yield* Database
    return ExternalSourceStore.of({
      sources: () =>
        database.query(async (db) =>
          (await db.select().from(externalSources).orderBy(asc(externalSources.name))).map(
            (row) => ({ name: row.name, createdAt: iso(row.createdAt) })
          )
        ),
      divisions: () =>
        database.query(async (db) =>
          (await db.select().from(divisions).orderBy(asc(divisions.name))).map((row) => ({
            name: row.name,
            createdAt: iso(row.createdAt)
          }))
        )
    })
  })
)
