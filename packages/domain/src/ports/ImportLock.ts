import { Context, type Effect } from "effect"
import type { StoreError } from "./StoreError.ts"

/**
 * Keeps concurrent imports of one division from interleaving inside a chunk: `withDivision` runs a
 * chunk's resolve, plan and commit while no other import does the same in that division, so every
 * chunk is planned against what earlier commits wrote. The default runs the chunk unguarded,
 * which suits a store that only one fiber writes; the database adapters replace it. Fails with
 * `StoreError` when the lock cannot be taken.
 */
export class ImportLock extends Context.Reference<{
  readonly withDivision: <A, E, R>(
    division: string,
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | StoreError, R>
}>("@xcontacts/domain/ports/ImportLock", {
  defaultValue: () => ({ withDivision: (_division, effect) => effect })
}) {}
