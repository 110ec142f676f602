import { Schema } from "effect"

/** The store could not be reached or refused an operation; the work of the call did not happen. */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect())
}) {}
