import { Schema } from "effect"

/** No contact or organization has the given id. */
export class RecordNotFound extends Schema.TaggedError<RecordNotFound>()("RecordNotFound", {
  kind: Schema.Literals(["contact", "organization"]),
  id: Schema.String
}) {
  override get message() {
    return `no ${this.kind} has the id ${this.id}`
  }
}
