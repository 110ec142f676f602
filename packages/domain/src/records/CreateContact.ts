import { DateTime, Effect, Schema } from "effect"
import {
  type Contact,
  type ContactExternalId,
  type ContactFields,
  type ContactId,
  emptyContactFields,
  MAX_EXTERNAL_IDS
} from "../Contact.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"

/** A contact entered by a person: without External IDs it is a legacy contact for imports. */
export interface NewContact {
  readonly division: string
  readonly fields: Partial<ContactFields>
  readonly externalIds?: ReadonlyArray<ContactExternalId>
}

/** A contact would hold more External IDs, across sources, than the limit of ten. */
export class TooManyExternalIds extends Schema.TaggedError<TooManyExternalIds>()(
  "TooManyExternalIds",
  { count: Schema.Int }
) {
  override get message() {
    return `a contact holds at most ${MAX_EXTERNAL_IDS} External IDs, not ${this.count}`
  }
}

/**
 * Creates a contact by hand (CLI or API) and returns it. Fails with `TooManyExternalIds` past
 * the limit, with `StoreError` when the store does, also when one of its External IDs is already
 * taken in its source and division.
 */
export const createContact = Effect.fn("CreateContact")(function* (input: NewContact) {
  const count = input.externalIds?.length ?? 0
  if (count > MAX_EXTERNAL_IDS) return yield* new TooManyExternalIds({ count })
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
