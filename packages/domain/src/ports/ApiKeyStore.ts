import { Context, type Effect, type Option } from "effect"
import type { ApiKey } from "../ApiKey.ts"
import type { StoreError } from "./StoreError.ts"

/**
 * Keeps API keys by the hash of their secret, which the store never sees. Fails with
 * `StoreError` when the store does.
 */
export class ApiKeyStore extends Context.Service<
  ApiKeyStore,
  {
    readonly create: (key: ApiKey, secretHash: string) => Effect.Effect<void, StoreError>
    /** The key whose secret has this hash, revoked or not. */
    readonly findByHash: (secretHash: string) => Effect.Effect<Option.Option<ApiKey>, StoreError>
    /** Every key, revoked ones too, oldest first. */
    readonly list: Effect.Effect<ReadonlyArray<ApiKey>, StoreError>
    /** Marks the key revoked at `at`; `false` when there is no such key. */
    readonly revoke: (id: string, at: string) => Effect.Effect<boolean, StoreError>
  }
>()("@xcontacts/domain/ports/ApiKeyStore") {}
