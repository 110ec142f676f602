import { Schema } from "effect"

/** Another record already holds this External ID in the source and division: they are unique. */
export class ExternalIdTaken extends Schema.TaggedError<ExternalIdTaken>()("ExternalIdTaken", {
  source: Schema.String,
  division: Schema.String,
  externalId: Schema.String,
  heldBy: Schema.String
}) {
  override get message() {
    return (
      `External ID "${this.externalId}" is already held by ${this.heldBy} in source ` +
      `"${this.source}", division "${this.division}"`
    )
  }
}
