import { Schema } from "effect"

/** The job's state does not allow what was asked: continue, cancel, retry, resume or delete. */
export class ImportJobConflict extends Schema.TaggedError<ImportJobConflict>()(
  "ImportJobConflict",
  { id: Schema.String, state: Schema.String, action: Schema.String }
) {
  override get message() {
    const stopped = ["created", "validating", "importing"].includes(this.state)
      ? " If the process that ran it stopped, resume it first (a server resumes its jobs when " +
        "it starts)."
      : ""
    return `Import job "${this.id}" is ${this.state}; it cannot ${this.action} now.${stopped}`
  }
}
