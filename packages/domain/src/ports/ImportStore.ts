import { Context, type Effect } from "effect"
import type { Contact } from "../Contact.ts"
import type { ImportCounters, ImportJobId, ImportJobState } from "../ImportJob.ts"
import type { Organization } from "../Organization.ts"
import type { Problem } from "../Problem.ts"
import type { StoreError } from "./StoreError.ts"

/** The keys of one chunk of rows, looked up together in one round of queries. */
export interface ImportLookup {
  readonly source: string
  readonly division: string
  readonly externalIds: ReadonlyArray<string>
  readonly organizationKeys: ReadonlyArray<string>
  readonly emails: ReadonlyArray<string>
  readonly phones: ReadonlyArray<string>
}

/** What the store holds for one chunk's keys. */
export interface ImportFound {
  /** Contacts by their External ID in the lookup's source and division. */
  readonly contacts: ReadonlyMap<string, Contact>
  /** Organizations by their key in the lookup's source and division. */
  readonly organizations: ReadonlyMap<string, Organization>
  /**
   * Legacy contacts of the division (no External ID in the source) whose email (lowercase) or
   * E.164 phone is among the lookup's.
   */
  readonly legacy: ReadonlyArray<Contact>
}

/** One chunk's writes, the job's new counters and checkpoint, committed together or not at all. */
export interface ChunkWrites {
  readonly source: string
  readonly division: string
  readonly contacts: ReadonlyArray<Contact>
  readonly contactExternalIds: ReadonlyArray<{
    readonly contactId: string
    readonly externalId: string
  }>
  readonly organizations: ReadonlyArray<Organization>
  readonly organizationExternalIds: ReadonlyArray<{
    readonly organizationId: string
    readonly externalId: string
  }>
  readonly job: {
    readonly id: ImportJobId
    readonly state: ImportJobState
    readonly counters: ImportCounters
    readonly checkpointLine: number
  }
  readonly problems: ReadonlyArray<Problem>
}

/**
 * The import's view of the store: batched lookups of a chunk's keys and the atomic commit of a
 * chunk's writes with the job's checkpoint. Fails with `StoreError` when the store does.
 */
export class ImportStore extends Context.Service<
  ImportStore,
  {
    readonly resolve: (lookup: ImportLookup) => Effect.Effect<ImportFound, StoreError>
    readonly commit: (writes: ChunkWrites) => Effect.Effect<void, StoreError>
  }
>()("@xcontacts/domain/ports/ImportStore") {}
