import { OrganizationStore } from "@xcontacts/domain"
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { printAll } from "../Listing.ts"
import { organizationLine } from "../Output.ts"
import { withStores } from "../Root.ts"

const json = Flag.Boolean("json").pipe(Flag.withDescription("Print JSON"), Flag.withDefault(false))
const limit = Flag.Int("limit").pipe(Flag.withDescription("Print at most N records"), Flag.optional)
const division = Flag.String("division").pipe(
  Flag.withDescription("Only this division"),
  Flag.optional
)

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

export const organizationsCommand = Command.make("organizations").pipe(
  Command.withDescription("Read organizations"),
  Command.withSubcommands([list])
)
