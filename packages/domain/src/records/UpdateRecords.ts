import { DateTime, Effect } from "effect"
import type { Contact, ContactFields } from "../Contact.ts"
import type { Organization, OrganizationFields } from "../Organization.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import { OrganizationStore } from "../ports/OrganizationStore.ts"
import { RecordNotFound } from "../RecordNotFound.ts"

/** What a person changes on a contact: the given fields, and the organization link if given. */
export interface ContactPatch {
  readonly fields: Partial<ContactFields>
  readonly organizationId?: string | null
}

/**
 * Applies a patch to a contact as read and returns the stored result. Fails with
 * `RecordNotFound` when the contact was deleted meanwhile, `StoreError` when the store fails.
 */
export const updateContact = Effect.fn("UpdateContact")(function* (
  current: Contact,
  patch: ContactPatch
) {
  const store = yield* ContactStore
  const now = DateTime.formatIso(yield* DateTime.now)
  const contact: Contact = {
    ...current,
    ...patch.fields,
    organizationId:
      patch.organizationId === undefined ? current.organizationId : patch.organizationId,
    updatedAt: now
  }
  const found = yield* store.update(contact)
  if (!found) return yield* new RecordNotFound({ kind: "contact", id: current.id })
  return contact
})

/**
 * Applies the given fields to an organization as read and returns the stored result. Fails with
 * `RecordNotFound` when it was deleted meanwhile, `StoreError` when the store fails.
 */
export const updateOrganization = Effect.fn("UpdateOrganization")(function* (
  current: Organization,
  fields: Partial<OrganizationFields>
) {
  const store = yield* OrganizationStore
  const now = DateTime.formatIso(yield* DateTime.now)
  const organization: Organization = { ...current, ...fields, updatedAt: now }
  const found = yield* store.update(organization)
  if (!found) return yield* new RecordNotFound({ kind: "organization", id: current.id })
  return organization
})
