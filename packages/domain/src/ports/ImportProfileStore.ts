import { Context, type Effect, type Option } from "effect"
import type { ImportProfile } from "../ImportProfile.ts"
import type { StoreError } from "./StoreError.ts"

/** Keeps import profiles by name. Fails with `StoreError` when the store does. */
export class ImportProfileStore extends Context.Service<
  ImportProfileStore,
  {
    /** Creates the profile, or replaces the one of the same name. */
    readonly save: (profile: ImportProfile) => Effect.Effect<void, StoreError>
    readonly get: (name: string) => Effect.Effect<Option.Option<ImportProfile>, StoreError>
    readonly list: Effect.Effect<ReadonlyArray<ImportProfile>, StoreError>
    /** Deletes the profile; `false` when there was none of that name. */
    readonly remove: (name: string) => Effect.Effect<boolean, StoreError>
  }
>()("@xcontacts/domain/ports/ImportProfileStore") {}
