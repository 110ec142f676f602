import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Cause, Console, Effect, Exit, Logger, Runtime } from "effect"
import { CliOutput } from "effect/cli"
import { runCli } from "./Cli.ts"
import { CommandFailed } from "./CommandFailed.ts"
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

/** The console as it is, but for `log`, which writes to stderr as `error` does. */
const logToStderr = (current: Console.Console): Console.Console =>
  Object.assign(Object.create(current), {
    log: (...args: ReadonlyArray<unknown>) => current.error(...args)
  })

/**
 * A usage error's help goes to stderr with its message, where effect/cli prints the help on
 * stdout: stdout carries a command's results only (a `--json` object, a report), so that a
 * script parsing it never reads help text. Asked-for help and the version stay on stdout.
 */
const usageOnStderr: CliOutput.Presenter = {
  present: (event) =>
    event._tag === "InvalidInvocation"
      ? Console.consoleWith((current) =>
          Effect.provideService(
            CliOutput.defaultPresenter.present(event),
            Console.Console,
            logToStderr(current)
          )
        )
      : CliOutput.defaultPresenter.present(event)
}

// SIGTERM is how a supervisor asks a process to stop: `serve` closes its server and its store
// and the process ends with 0; a Ctrl-C (SIGINT) still ends with the conventional 130.
let terminated = false
process.once("SIGTERM", () => {
  terminated = true
})

const teardown: Runtime.Teardown = (exit, onExit) =>
  terminated && Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause)
    ? onExit(0)
    : Runtime.defaultTeardown(exit, onExit)

runCli(process.argv.slice(2)).pipe(
  Effect.tapError((error) =>
    Effect.sync(() => {
      if (error instanceof CommandFailed) {
        process.stderr.write(`error: ${error.message}\n`)
        process.exit(error.exitCode)
      }
      const { _tag, errors } = error as { _tag?: string; errors?: ReadonlyArray<unknown> }
      if (_tag === "StoreError") {
        process.stderr.write(`error: ${(error as { message: string }).message}\n`)
        process.exit(ExitCode.failure)
      }
      if (_tag === "ShowHelp") process.exit(errors?.length ? ExitCode.usage : ExitCode.success)
      if (usageErrors.has(_tag ?? "")) process.exit(ExitCode.usage)
    })
  ),
  // Anything else is a defect: its trace goes to stderr, never into what stdout carries (a
  // report, a JSON object), and the command exits 1.
  Effect.tapCause((cause) =>
    Effect.sync(() => {
      if (Cause.hasInterruptsOnly(cause)) return
      process.stderr.write(`error: an unexpected failure\n${Cause.pretty(cause)}\n`)
      process.exit(ExitCode.failure)
    })
  ),
  Effect.provideService(CliOutput.Presenter, usageOnStderr),
  Effect.provideService(Logger.LogToStderr, true),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain({ teardown })
)
