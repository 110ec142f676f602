import {
  ContactStore,
  createOrganization,
  defaultImportSettings,
  EXTERNAL_ID_MAX_LENGTH,
  externalIdControl,
  type Organization,
  OrganizationStore,
  organizationFieldMaxLength
} from "@xcontacts/domain"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { json, limit } from "../CommonFlags.ts"
import { ExitCode, tooLong, usage } from "../ExitCode.ts"
import { printAll } from "../Listing.ts"
import { contactLine, organizationLine } from "../Output.ts"
import { withStores } from "../Root.ts"
import { bySettingRule, recordDivision, usageMessage } from "../SettingsFlags.ts"

const division = Flag.String("division").pipe(
  Flag.withDescription("Only this division"),
  Flag.optional
)
const id = Argument.String("id").pipe(Argument.withDescription("The organization's id"))

const list = Command.make(
  "list",
  { json, limit, division },
  Effect.fn("OrganizationsList")(function* (input) {
    yield* withStores(
      Effect.gen(function* () {
        const organizations = yield* OrganizationStore
        yield* printAll({
          page: (after, pageLimit) =>
            organizations.list({
              limit: pageLimit,
              ...(after === undefined ? {} : { after }),
              ...(input.division._tag === "Some" ? { division: input.division.value } : {})
            }),
          limit: input.limit,
          json: input.json,
          line: organizationLine
        })
      })
    )
  })
).pipe(Command.withDescription("List organizations, all of them unless --limit is given"))

const get = Command.make(
  "get",
  { id, json },
  Effect.fn("OrganizationsGet")(function* (input) {
    yield* withStores(
      Effect.gen(function* () {
        const organization = yield* OrganizationStore.use((store) => store.get(input.id))
        if (Option.isNone(organization)) {
          // An unknown id is a usage error, as an unknown job or profile is.
          yield* Console.error(`no organization has the id ${input.id}`)
          process.exitCode = ExitCode.usage
          return
        }
        yield* Console.log(
          input.json ? JSON.stringify(organization.value) : organizationLine(organization.value)
        )
      })
    )
  })
).pipe(Command.withDescription("Show one organization"))

const members = Command.make(
  "members",
  { id, json, limit },
  Effect.fn("OrganizationsMembers")(function* (input) {
    yield* withStores(
      Effect.gen(function* () {
        const organization = yield* OrganizationStore.use((store) => store.get(input.id))
        if (Option.isNone(organization)) {
          // As for `get`: an unknown organization is not one without members.
          yield* Console.error(`no organization has the id ${input.id}`)
          process.exitCode = ExitCode.usage
          return
        }
        const contacts = yield* ContactStore
        yield* printAll({
          page: (after, pageLimit) =>
            contacts.list({
              organizationId: input.id,
              limit: pageLimit,
              ...(after === undefined ? {} : { after })
            }),
          limit: input.limit,
          json: input.json,
          line: contactLine
        })
      })
    )
  })
).pipe(Command.withDescription("List the contacts linked to an organization"))

const create = Command.make(
  "create",
  {
    name: Flag.String("name").pipe(Flag.withDescription("Organization Name")),
    division: recordDivision("Division of the new organization"),
    json
  },
  Effect.fn("OrganizationsCreate")(function* (input) {
    const name = input.name.trim()
    if (name === "") return yield* usage("--name is blank; an organization needs a name")
    const problem = tooLong("name", name, organizationFieldMaxLength.name)
    if (problem !== null) return yield* usage(problem)
    const organization: Organization = yield* withStores(
      createOrganization({ division: input.division, fields: { name } })
    )
    yield* Console.log(input.json ? JSON.stringify(organization) : organizationLine(organization))
  })
).pipe(
  Command.withDescription(
    "Create an organization by hand; files can target it once it has an External ID"
  )
)

const addExternalId = Command.make(
  "add-external-id",
  {
    id,
    externalId: Argument.String("external-id").pipe(
      Argument.withDescription("The External Organization External ID files will use")
    ),
    source: Flag.String("source").pipe(
      Flag.withDescription("External source of the ID"),
      Flag.mapTryCatch(bySettingRule("source", "source"), usageMessage),
      Flag.withDefault(defaultImportSettings.source)
    ),
    json
  },
  Effect.fn("OrganizationsAddExternalId")(function* (input) {
    const externalId = input.externalId.trim()
    const control = externalIdControl(externalId)
    if (externalId.length === 0 || externalId.length > EXTERNAL_ID_MAX_LENGTH || control !== null) {
      yield* Console.error(
        control === null
          ? `an External ID has 1 to ${EXTERNAL_ID_MAX_LENGTH} characters`
          : `an External ID holds no control characters; this one has ${control.codePoint} ` +
              `at position ${control.position}`
      )
      process.exitCode = ExitCode.usage
      return
    }
    yield* withStores(
      OrganizationStore.use((store) =>
        store.assignExternalId({ organizationId: input.id, source: input.source, externalId })
      ).pipe(
        Effect.flatMap((organization) =>
          Console.log(input.json ? JSON.stringify(organization) : organizationLine(organization))
        ),
        Effect.catchTags({
          ExternalIdTaken: (error) => reportFailure(error.message),
          RecordNotFound: (error) => reportFailure(error.message)
        })
      )
    )
  })
).pipe(Command.withDescription("Give an organization an External ID in a source"))

const reportFailure = (message: string) =>
  Console.error(message).pipe(
    Effect.andThen(Effect.sync(() => (process.exitCode = ExitCode.failure)))
  )

export const organizationsCommand = Command.make("organizations").pipe(
  Command.withDescription("Read and create organizations and give them External IDs"),
  Command.withSubcommands([list, get, members, create, addExternalId])
)
