import { Effect, Layer } from "effect"
import { ExternalSourceStore } from "../ports/ExternalSourceStore.ts"
import { ContactStoreMemory } from "./ContactStoreMemory.ts"
import { ImportJobStoreMemory } from "./ImportJobStoreMemory.ts"
import { ImportStoreMemory } from "./ImportStoreMemory.ts"
import { emptyTables, MemoryDatabase, transaction } from "./MemoryTables.ts"
import { OrganizationStoreMemory } from "./OrganizationStoreMemory.ts"
import { ApiKeyStoreMemory, ImportProfileStoreMemory } from "./ProfileAndKeyStoresMemory.ts"

const externalSourceStore = Layer.effect(
  ExternalSourceStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const named = (table: Map<string, string>) =>
      [...table.entries()]
        .map(([name, createdAt]) => ({ name, createdAt }))
        .toSorted((a, b) => (a.name < b.name ? -1 : 1))
    return ExternalSourceStore.of({
      sources: () => transaction(database, (tables) => named(tables.sources)),
      divisions: () => transaction(database, (tables) => named(tables.divisions))
    })
  })
)

/**
 * Every store port on one fresh in-memory database, with the semantics of the Drizzle adapters:
 * External IDs unique per source and division, atomic commits, merged contacts never listed or
 * matched. For tests and for running the contract suite without a database.
 */
export const inMemoryStoresLayer = Layer.mergeAll(
  ImportStoreMemory,
  ImportJobStoreMemory,
  ContactStoreMemory,
  OrganizationStoreMemory,
  externalSourceStore,
  ImportProfileStoreMemory,
  ApiKeyStoreMemory
).pipe(Layer.provide(Layer.sync(MemoryDatabase, () => ({ tables: emptyTables() }))))
