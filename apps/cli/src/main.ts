import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Effect } from "effect"
import { runCli } from "./Cli.ts"
import { ExitCode } from "./ExitCode.ts"

const usageErrors = new Set([
  "UnrecognizedOption",
  "DuplicateOption",
  "MissingOption",
  "MissingArgument",
  "UnexpectedArgument",
  "InvalidValue",
  "UnknownSubcommand",
  "ValidationError"
])

runCli(process.argv.slice(2)).pipe(
  Effect.tapError((error) =>
    Effect.sync(() => {
      const { _tag, errors } = error as { _tag?: string; errors?: ReadonlyArray<unknown> }
      if (_tag === "ShowHelp") process.exit(errors?.length ? ExitCode.usage : ExitCode.success)
      if (usageErrors.has(_tag ?? "")) process.exit(ExitCode.usage)
    })
  ),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain
)
