import { Context, type Effect, type Option } from "effect"
import type { Contact } from "../Contact.ts"
import type { ContactMerge } from "./ImportStore.ts"
import type { StoreError } from "./StoreError.ts"

/** Filters for listing contacts; all given filters must hold. Merged-away contacts are left out. */
export interface ContactQuery {
  readonly division?: string
  /** Only contacts of one of these divisions (an API key's reach). */
  readonly divisions?: ReadonlyArray<string>
  readonly externalId?: string
  /** With `externalId`: only External IDs of this external source. */
  readonly source?: string
  /** A lowercase email, compared with the three emails. */
  readonly email?: string
  /** An E.164 phone, compared with the four phones. */
  readonly phone?: string
  readonly organizationId?: string
  /** Only contacts whose id sorts after this one (cursor paging). */
  readonly after?: string
  readonly limit: number
}

/** A `merge-all` fold as recorded: what was merged into what, the IDs it moved, and when. */
export interface ContactMergeRecord extends ContactMerge {
  readonly movedExternalIds: ReadonlyArray<{ readonly source: string; readonly externalId: string }>
  readonly jobId: string | null
  readonly mergedAt: string
}

/**
 * Reads contacts for the CLI and the API and keeps contacts created by hand. Fails with
 * `StoreError` when the store does.
 */
export class ContactStore extends Context.Service<
  ContactStore,
  {
    readonly list: (query: ContactQuery) => Effect.Effect<ReadonlyArray<Contact>, StoreError>
    /** Any contact by id, also one merged into another. */
    readonly get: (id: string) => Effect.Effect<Option.Option<Contact>, StoreError>
    /** Inserts a new contact with its External IDs; its division is created on first use. */
    readonly create: (contact: Contact) => Effect.Effect<void, StoreError>
    /**
     * Replaces the fields and the organization link of a stored contact; its id, division,
     * External IDs and creation time stay. `false` when there is no such contact.
     */
    readonly update: (contact: Contact) => Effect.Effect<boolean, StoreError>
    /**
     * Deletes a contact for good with its External IDs, the contacts merged into it and the
     * records of those merges (ADR 0500). `false` when there is no such contact.
     */
    readonly remove: (id: string) => Effect.Effect<boolean, StoreError>
    /** The merges a contact took part in, as survivor or as absorbed, oldest first. */
    readonly merges: (id: string) => Effect.Effect<ReadonlyArray<ContactMergeRecord>, StoreError>
    /** The contact this one was merged into, when `merge-all` absorbed it. */
    readonly mergedInto: (id: string) => Effect.Effect<Option.Option<string>, StoreError>
  }
>()("@xcontacts/domain/ports/ContactStore") {}
