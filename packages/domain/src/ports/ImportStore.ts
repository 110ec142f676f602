import { Context, type Effect } from "effect"
import type { Contact } from "../Contact.ts"
import type { ImportCounters, ImportJobId, ImportJobState, ImportProgress } from "../ImportJob.ts"
import type { Organization } from "../Organization.ts"
import type { Problem } from "../Problem.ts"
import type { StoreError } from "./StoreError.ts"

/** The keys of one chunk of rows, looked up together in one round of queries. */
export interface ImportLookup {
  /** The job whose earlier chunks' row records are recalled for the keys. */
  readonly jobId: ImportJobId
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
   * Contacts of the division, not merged into another, whose email (lowercase) or E.164 phone is
   * among the lookup's, whether or not they hold an External ID in the source: the planner tells
   * legacy contacts from claimed ones.
   */
  readonly candidates: ReadonlyArray<Contact>
  /** What the job's earlier chunks decided about the lookup's External IDs and organizations. */
  readonly recalled: Recalled
}

/** One legacy contact folded into another by `merge-all`, on the given line of the file. */
export interface ContactMerge {
  readonly survivorId: string
  readonly absorbedId: string
  readonly line: number
}

/** How a file counts an organization: once, by the strongest thing it did to it. */
export type OrganizationEffect = "created" | "updated" | "unchanged"

/**
 * What happened to one row of a job, kept with the chunk that decided it: the report reads it,
 * and later chunks (also after a resume) recall from it where an External ID first appeared and
 * what the file did to an organization.
 */
export interface RowRecord {
  readonly line: number
  readonly outcome: "created" | "updated" | "merged" | "unchanged" | "failed"
  readonly contactId: string | null
  readonly organizationId: string | null
  readonly externalId: string | null
  readonly organizationKey: string | null
  readonly organizationEffect: OrganizationEffect | null
  readonly problems: ReadonlyArray<Problem>
}

/** What earlier chunks of a job decided about some External IDs and organization keys. */
export interface Recalled {
  /** The first line of the job's file that carried each External ID. */
  readonly firstLines: ReadonlyMap<string, number>
  /** The strongest effect the job's earlier rows had on each organization key. */
  readonly organizationEffects: ReadonlyMap<string, OrganizationEffect>
}

/**
 * Where a chunk's record writes go and its lookups look: the store itself (the import pass), or
 * the job's stage (validation). The stage is a dry run's private overlay on the store: lookups
 * see the store as if the staged writes had been made, and nobody else sees them. It is what keeps
 * a dry run's memory bounded by the chunk (docs/adr/0402).
 */
export type RecordTarget =
  | { readonly _tag: "Store" }
  | { readonly _tag: "Stage"; readonly jobId: ImportJobId }

export const storeTarget: RecordTarget = { _tag: "Store" }

/** One chunk's writes, the job's new counters and checkpoint, committed together or not at all. */
export interface ChunkWrites {
  /** The store, or the job's stage; the row records, problems and job go to the store always. */
  readonly target: RecordTarget
  readonly source: string
  readonly division: string
  readonly contacts: ReadonlyArray<Contact>
  readonly contactExternalIds: ReadonlyArray<{
    readonly contactId: string
    readonly externalId: string
  }>
  /**
   * Absorbed contacts, applied after `contacts`: each is marked merged into its survivor, which
   * takes over its External IDs; a durable record keeps what was merged into what.
   */
  readonly merges: ReadonlyArray<ContactMerge>
  readonly organizations: ReadonlyArray<Organization>
  readonly organizationExternalIds: ReadonlyArray<{
    readonly organizationId: string
    readonly externalId: string
  }>
  /**
   * The job must be in `state`; otherwise nothing is written and `commit` answers false. Writes
   * for an id that no job has are committed without a job (tests, tools).
   */
  readonly job: {
    readonly id: ImportJobId
    readonly state: ImportJobState
    readonly counters: ImportCounters
    readonly checkpointLine: number
    readonly progress: ImportProgress
  }
  /**
   * Problems of the file itself (its header's warnings), kept with the job. A row's problems
   * travel in its row record only, and the job counts both.
   */
  readonly problems: ReadonlyArray<Problem>
  readonly rows: ReadonlyArray<RowRecord>
}

/**
 * The import's view of the store: one batched lookup of a chunk's keys, with what earlier chunks
 * of the job decided about them, and the atomic commit of a chunk's writes with the job's
 * checkpoint and row records, to the store or to the job's stage. `commit` answers false, writing
 * nothing, when the job has left the chunk's state (it was cancelled). Fails with `StoreError`
 * when the store does.
 */
export class ImportStore extends Context.Service<
  ImportStore,
  {
    readonly resolve: (
      lookup: ImportLookup,
      target: RecordTarget
    ) => Effect.Effect<ImportFound, StoreError>
    readonly commit: (writes: ChunkWrites) => Effect.Effect<boolean, StoreError>
    /** Forgets the job's stage: before a validation starts, and once it has ended. */
    readonly dropStage: (jobId: ImportJobId) => Effect.Effect<void, StoreError>
    /**
     * After an import pass has written to the store: makes the space of the records it replaced
     * reusable where nothing else does (an embedded store has no background vacuum), so that
     * weekly re-imports do not grow the store by their updates.
     */
    readonly reclaim: () => Effect.Effect<void, StoreError>
  }
>()("@xcontacts/domain/ports/ImportStore") {}
