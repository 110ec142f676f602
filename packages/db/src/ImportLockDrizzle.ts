import { ImportLock } from "@xcontacts/domain"
import { Effect, Layer } from "effect"
import { Database } from "./Database.ts"

/**
 * Serializes the chunks of concurrent imports per division through the database's named locks:
 * PostgreSQL advisory locks across processes, a semaphore within the one PGlite process.
 */
export const ImportLockDrizzle = Layer.effect(
  ImportLock,
  Effect.gen(function* () {
    const database = yield* Database
    return {
      withDivision: (division, effect) => database.exclusive(`import:${division}`, effect)
    }
  })
)
