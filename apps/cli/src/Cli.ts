import { Command } from "effect/cli"
import { contactsCommand } from "./commands/ContactsCommand.ts"
import { dbCommand } from "./commands/DbCommand.ts"
import { importCommand } from "./commands/ImportCommand.ts"
import { jobsCommand } from "./commands/JobsCommand.ts"
import { keysCommand } from "./commands/KeysCommand.ts"
import { organizationsCommand } from "./commands/OrganizationsCommand.ts"
import { profilesCommand } from "./commands/ProfilesCommand.ts"
import { serveCommand } from "./commands/ServeCommand.ts"
import { divisionsCommand, sourcesCommand } from "./commands/SourcesCommand.ts"
import { root } from "./Root.ts"

/** The whole `xcontacts` command line. */
export const cli = root.pipe(
  Command.withSubcommands([
    importCommand,
    jobsCommand,
    contactsCommand,
    organizationsCommand,
    profilesCommand,
    sourcesCommand,
    divisionsCommand,
    serveCommand,
    keysCommand,
    dbCommand
  ])
)

export const version = "0.1.0"

/** Runs the command line on the given arguments (without `node` and the script). */
export const runCli = Command.runWith(cli, { version })
