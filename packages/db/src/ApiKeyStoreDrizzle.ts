import { type ApiKey, ApiKeyStore } from "@xcontacts/domain"
import { and, asc, eq, isNull } from "drizzle-orm"
import { Effect, Layer, Option } from "effect"
import { Database } from "./Database.ts"
import { apiKeys } from "./DbSchema.ts"
import { iso } from "./Rows.ts"

const toApiKey = (row: typeof apiKeys.$inferSelect): ApiKey => ({
  id: row.id,
  name: row.name,
  divisions: row.divisions,
  createdAt: iso(row.createdAt),
  revokedAt: row.revokedAt === null ? null : iso(row.revokedAt)
})

/** API keys in PGlite or PostgreSQL through Drizzle, found by the hash of their secret. */
export const ApiKeyStoreDrizzle = Layer.effect(
  ApiKeyStore,
  Effect.gen(function* () {
    const database = yield* Database
    return ApiKeyStore.of({
      create: (key, secretHash) =>
        database.query(async (db) => {
          await db.insert(apiKeys).values({
            id: key.id,
            name: key.name,
            secretHash,
            divisions: [...key.divisions],
            createdAt: key.createdAt,
            revokedAt: key.revokedAt
          })
        }),
      findByHash: (secretHash) =>
        database.query(async (db) => {
          const [row] = await db.select().from(apiKeys).where(eq(apiKeys.secretHash, secretHash))
          return Option.map(Option.fromUndefinedOr(row), toApiKey)
        }),
      list: database.query(async (db) =>
        (await db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))).map(
          toApiKey
        )
      ),
      revoke: (id, at) =>
        database.query(async (db) => {
          await db
            .update(apiKeys)
            .set({ revokedAt: at })
            .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
          const [row] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, id))
          return row !== undefined
        })
    })
  })
)
