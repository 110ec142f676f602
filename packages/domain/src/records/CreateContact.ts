import { DateTime, Effect } from "effect"
import {
  type Contact,
  type ContactExternalId,
  type ContactFields,
  type ContactId,
  emptyContactFields
} from "../Contact.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"

/** A contact entered by a person: without External IDs it is a legacy contact for imports. */
export interface NewContact {
  readonly division: string
  readonly fields: Partial<ContactFields>
  readonly externalIds?: ReadonlyArray<ContactExternalId>
}

/**
 * Creates a contact by hand (CLI or API) and returns it. Fails with `StoreError` when the store
 * does, also when one of its External IDs is already taken in its source and division.
 */
export const createContact = Effect.fn("CreateContact")(function* (input: NewContact) {
  const store = yield* ContactStore
  const ids = yield* IdGenerator
  const now = DateTime.formatIso(yield* DateTime.now)
  const contact: Contact = {
    id: ids.next("contact") as ContactId,
    division: input.division,
    externalIds: [...(input.externalIds ?? [])],
    ...emptyContactFields,
    ...input.fields,
    organizationId: null,
    createdAt: now,
    updatedAt: now
  }
  yield* store.create(contact)
  return contact
})
