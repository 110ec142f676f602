import { Context, type Effect, type Option } from "effect"
import type { ExternalIdTaken } from "../ExternalIdTaken.ts"
import type { Organization } from "../Organization.ts"
import type { RecordNotFound } from "../RecordNotFound.ts"
import type { StoreError } from "./StoreError.ts"

/** Filters for listing organizations. */
export interface OrganizationQuery {
  readonly division?: string
  /** Only organizations of one of these divisions (an API key's reach). */
  readonly divisions?: ReadonlyArray<string>
  readonly externalId?: string
  /** With `externalId`: only External IDs of this external source. */
  readonly source?: string
  readonly after?: string
  readonly limit: number
}

/** An External Organization External ID to give an organization in one source. */
export interface OrganizationExternalIdAssignment {
  readonly organizationId: string
  readonly source: string
  readonly externalId: string
}

/**
 * Reads organizations for the CLI and the API, keeps organizations created by hand and gives
 * them External IDs. Fails with `StoreError` when the store does.
 */
export class OrganizationStore extends Context.Service<
  OrganizationStore,
  {
    readonly list: (
      query: OrganizationQuery
    ) => Effect.Effect<ReadonlyArray<Organization>, StoreError>
    readonly get: (id: string) => Effect.Effect<Option.Option<Organization>, StoreError>
    /** Inserts a new organization with its External IDs; its division is created on first use. */
    readonly create: (organization: Organization) => Effect.Effect<void, StoreError>
    /**
     * Replaces the fields of a stored organization; its id, division, External IDs and creation
     * time stay. `false` when there is no such organization.
     */
    readonly update: (organization: Organization) => Effect.Effect<boolean, StoreError>
    /**
     * Deletes an organization for good with its External IDs; its contacts stay, unlinked
     * (ADR 0500). `false` when there is no such organization.
     */
    readonly remove: (id: string) => Effect.Effect<boolean, StoreError>
    /**
     * Gives an organization an External ID in a source (created on first use) within the
     * organization's division, so that files can target it. Fails with `ExternalIdTaken` when
     * another organization holds it there, `RecordNotFound` when there is no such organization.
     */
    readonly assignExternalId: (
      assignment: OrganizationExternalIdAssignment
    ) => Effect.Effect<Organization, StoreError | ExternalIdTaken | RecordNotFound>
  }
>()("@xcontacts/domain/ports/OrganizationStore") {}
