import { Context, type Effect, type Option } from "effect"
import type { Contact } from "../Contact.ts"
import type { StoreError } from "./StoreError.ts"

/** Filters for listing contacts; all given filters must hold. */
export interface ContactQuery {
  readonly division?: string
  readonly externalId?: string
  readonly email?: string
  /** An E.164 phone. */
  readonly phone?: string
  /** Only contacts whose id sorts after this one (cursor paging). */
  readonly after?: string
  readonly limit: number
}

/** Reads contacts for the CLI and the API. Fails with `StoreError` when the store does. */
export class ContactStore extends Context.Service<
  ContactStore,
  {
    readonly list: (query: ContactQuery) => Effect.Effect<ReadonlyArray<Contact>, StoreError>
    readonly get: (id: string) => Effect.Effect<Option.Option<Contact>, StoreError>
  }
>()("@xcontacts/domain/ports/ContactStore") {}
