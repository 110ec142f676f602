import { Effect, Layer, Option } from "effect"
import { emptyCounters, emptyProgress } from "../ImportJob.ts"
import { ExternalSourceStore } from "../ports/ExternalSourceStore.ts"
import { ImportJobStore } from "../ports/ImportJobStore.ts"
import { ContactStoreMemory } from "./ContactStoreMemory.ts"
import { ImportStoreMemory } from "./ImportStoreMemory.ts"
import { emptyTables, MemoryDatabase, transaction } from "./MemoryTables.ts"
import { OrganizationStoreMemory } from "./OrganizationStoreMemory.ts"
import { ApiKeyStoreMemory, ImportProfileStoreMemory } from "./ProfileAndKeyStoresMemory.ts"

const importJobStore = Layer.effect(
  ImportJobStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    return ImportJobStore.of({
      create: (job) =>
        transaction(database, (tables) => {
          tables.jobs.set(job.id, { job, problems: [...job.problems] })
        }),
      update: (job, newProblems) =>
        transaction(database, (tables) => {
          const problems = tables.jobs.get(job.id)?.problems ?? []
          tables.jobs.set(job.id, { job, problems: [...problems, ...newProblems] })
        }),
      transition: (id, transition) =>
        transaction(database, (tables, now) => {
          const entry = tables.jobs.get(id)
          if (entry === undefined || !transition.from.includes(entry.job.state)) return false
          const reset = transition.reset === true
          if (reset) tables.jobRows.delete(id)
          tables.jobs.set(id, {
            job: {
              ...entry.job,
              state: transition.to,
              ...(reset ? { counters: emptyCounters(), progress: emptyProgress() } : {}),
              ...(reset ? { checkpointLine: 0 } : {}),
              ...(transition.counters === undefined ? {} : { counters: transition.counters }),
              updatedAt: now
            },
            problems: [...(reset ? [] : entry.problems), ...(transition.problems ?? [])]
          })
          return true
        }),
      rows: (id, afterLine, limit) =>
        transaction(database, (tables) =>
          [...(tables.jobRows.get(id)?.values() ?? [])]
            .filter((row) => row.line > afterLine)
            .toSorted((a, b) => a.line - b.line)
            .slice(0, limit)
        ),
      get: (id) =>
        transaction(database, (tables) => {
          const entry = tables.jobs.get(id)
          return Option.fromUndefinedOr(
            entry === undefined ? undefined : { ...entry.job, problems: entry.problems }
          )
        }),
      list: (limit) =>
        transaction(database, (tables) =>
          [...tables.jobs.values()]
            .map((entry) => ({ ...entry.job, problems: entry.problems }))
            .toSorted((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
            .slice(0, limit)
        )
    })
  })
)

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
  importJobStore,
  ContactStoreMemory,
  OrganizationStoreMemory,
  externalSourceStore,
  ImportProfileStoreMemory,
  ApiKeyStoreMemory
).pipe(Layer.provide(Layer.sync(MemoryDatabase, () => ({ tables: emptyTables() }))))
