import { DateTime, Effect } from "effect"
import {
  emptyOrganizationFields,
  type Organization,
  type OrganizationFields,
  type OrganizationId
} from "../Organization.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { OrganizationStore } from "../ports/OrganizationStore.ts"

/** An organization entered by a person. Without an External ID no file can target it yet. */
export interface NewOrganization {
  readonly division: string
  readonly fields: Partial<OrganizationFields>
}

/** Creates an organization by hand and returns it. Fails with `StoreError` when the store does. */
export const createOrganization = Effect.fn("CreateOrganization")(function* (
  input: NewOrganization
) {
  const store = yield* OrganizationStore
  const ids = yield* IdGenerator
  const now = DateTime.formatIso(yield* DateTime.now)
  const organization: Organization = {
    id: ids.next("organization") as OrganizationId,
    division: input.division,
    externalIds: [],
    ...emptyOrganizationFields,
    ...input.fields,
    createdAt: now,
    updatedAt: now
  }
  yield* store.create(organization)
  return organization
})
