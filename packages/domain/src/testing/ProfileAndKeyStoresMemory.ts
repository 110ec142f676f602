import { Effect, Layer, Option } from "effect"
import { ApiKeyStore } from "../ports/ApiKeyStore.ts"
import { ImportProfileStore } from "../ports/ImportProfileStore.ts"
import { MemoryDatabase, transaction } from "./MemoryTables.ts"

/** Import profiles on the in-memory tables, by name, listed in name order. */
export const ImportProfileStoreMemory = Layer.effect(
  ImportProfileStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    return ImportProfileStore.of({
      save: (profile) =>
        transaction(database, (tables) => {
          const stored = tables.profiles.get(profile.name)
          tables.profiles.set(profile.name, {
            ...profile,
            createdAt: stored?.createdAt ?? profile.createdAt
          })
        }),
      get: (name) =>
        transaction(database, (tables) => Option.fromUndefinedOr(tables.profiles.get(name))),
      list: transaction(database, (tables) =>
        [...tables.profiles.values()].toSorted((a, b) => (a.name < b.name ? -1 : 1))
      ),
      remove: (name) => transaction(database, (tables) => tables.profiles.delete(name))
    })
  })
)

/** API keys on the in-memory tables, by the hash of their secret, oldest first. */
export const ApiKeyStoreMemory = Layer.effect(
  ApiKeyStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    return ApiKeyStore.of({
      create: (key, secretHash) =>
        transaction(database, (tables) => {
          if (tables.apiKeys.has(key.id)) throw new Error(`duplicate key ${key.id}`)
          if ([...tables.apiKeys.values()].some((entry) => entry.secretHash === secretHash)) {
            throw new Error("duplicate key hash")
          }
          tables.apiKeys.set(key.id, { key, secretHash })
        }),
      findByHash: (secretHash) =>
        transaction(database, (tables) =>
          Option.fromUndefinedOr(
            [...tables.apiKeys.values()].find((entry) => entry.secretHash === secretHash)?.key
          )
        ),
      list: transaction(database, (tables) =>
        [...tables.apiKeys.values()]
          .map((entry) => entry.key)
          .toSorted((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      ),
      revoke: (id, at) =>
        transaction(database, (tables) => {
          const entry = tables.apiKeys.get(id)
          if (entry === undefined) return false
          if (entry.key.revokedAt === null) {
            tables.apiKeys.set(id, { ...entry, key: { ...entry.key, revokedAt: at } })
          }
          return true
        })
    })
  })
)
