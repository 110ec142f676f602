import { Schema } from "effect"

/** The job's state does not allow what was asked: continue, cancel, retry, resume or delete. */
export class ImportJobConflict extends Schema.TaggedError<ImportJobConflict>()(
  "ImportJobConflict",
  { id: Schema.String, state: Schema.String, action: Schema.String }
) {
  override get message() {
    return `Import job "${this.id}" is ${this.state}; it cannot ${this.action} now.`
  }
}
