import { Context, type Effect, type Option } from "effect"
import type { Organization } from "../Organization.ts"
import type { StoreError } from "./StoreError.ts"

/** Filters for listing organizations. */
export interface OrganizationQuery {
  readonly division?: string
  readonly externalId?: string
  readonly after?: string
  readonly limit: number
}

/** Reads organizations for the CLI and the API. Fails with `StoreError` when the store does. */
export class OrganizationStore extends Context.Service<
  OrganizationStore,
  {
    readonly list: (
      query: OrganizationQuery
    ) => Effect.Effect<ReadonlyArray<Organization>, StoreError>
    readonly get: (id: string) => Effect.Effect<Option.Option<Organization>, StoreError>
  }
>()("@xcontacts/domain/ports/OrganizationStore") {}
