import { Context, type Effect } from "effect"
import type { StoreError } from "./StoreError.ts"

/** An external source or a division as stored: created on first use, never renamed. */
export interface NamedEntity {
  readonly name: string
  readonly createdAt: string
}

/**
 * The external sources and divisions of the store. Both are created on first use (an import, a
 * record created by hand, an External ID assigned) and listed here. Fails with `StoreError`.
 */
export class ExternalSourceStore extends Context.Service<
  ExternalSourceStore,
  {
    readonly sources: () => Effect.Effect<ReadonlyArray<NamedEntity>, StoreError>
    readonly divisions: () => Effect.Effect<ReadonlyArray<NamedEntity>, StoreError>
  }
>()("@xcontacts/domain/ports/ExternalSourceStore") {}
