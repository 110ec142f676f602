import { Schema } from "effect"

/** A command could not do what it was asked; the message says why and what to do. */
export class CommandFailed extends Schema.TaggedError<CommandFailed>()("CommandFailed", {
  message: Schema.String,
  exitCode: Schema.Number
}) {}
