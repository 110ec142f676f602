import { type ImportProfile, ImportProfileStore, type ProfileSettings } from "@xcontacts/domain"
import { asc, eq, sql } from "drizzle-orm"
import { Effect, Layer, Option } from "effect"
import { Database } from "./Database.ts"
import { importProfiles } from "./DbSchema.ts"
import { iso } from "./Rows.ts"

const toProfile = (row: typeof importProfiles.$inferSelect): ImportProfile => ({
  name: row.name,
  settings: row.settings as ProfileSettings,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt)
})

/** Import profiles in PGlite or PostgreSQL through Drizzle. */
export const ImportProfileStoreDrizzle = Layer.effect(
  ImportProfileStore,
  Effect.gen(function* () {
    const database = yield* Database
    return ImportProfileStore.of({
      save: (profile) =>
        database.query(async (db) => {
          await db
            .insert(importProfiles)
            .values(profile)
            .onConflictDoUpdate({
              target: importProfiles.name,
              set: { settings: sql`excluded.settings`, updatedAt: sql`excluded.updated_at` }
            })
        }),
      get: (name) =>
        database.query(async (db) => {
          const rows = await db.select().from(importProfiles).where(eq(importProfiles.name, name))
          return Option.map(Option.fromUndefinedOr(rows[0]), toProfile)
        }),
      list: database.query(async (db) =>
        (await db.select().from(importProfiles).orderBy(asc(importProfiles.name))).map(toProfile)
      ),
      remove: (name) =>
        database.query(async (db) => {
          const deleted = await db
            .delete(importProfiles)
            .where(eq(importProfiles.name, name))
            .returning({ name: importProfiles.name })
          return deleted.length > 0
        })
    })
  })
)
