import { Context, type Effect, type Option } from "effect"
import type { ImportJob, ImportJobId } from "../ImportJob.ts"
import type { StoreError } from "./StoreError.ts"

/** Keeps import jobs, their state, counters and problems. Fails with `StoreError` when the store does. */
export class ImportJobStore extends Context.Service<
  ImportJobStore,
  {
    readonly create: (job: ImportJob) => Effect.Effect<void, StoreError>
    /** Saves the job's state, counters and the given new problems. */
    readonly update: (
      job: ImportJob,
      newProblems: ImportJob["problems"]
    ) => Effect.Effect<void, StoreError>
    readonly get: (id: ImportJobId) => Effect.Effect<Option.Option<ImportJob>, StoreError>
    readonly list: (limit: number) => Effect.Effect<ReadonlyArray<ImportJob>, StoreError>
  }
>()("@xcontacts/domain/ports/ImportJobStore") {}
