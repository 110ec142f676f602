import {
  type Contact,
  type ContactFields,
  ContactStore,
  cleanEmail,
  contactFieldMaxLength,
  createContact,
  defaultImportSettings,
  isEmail,
  normalizePhone,
  parsePhoneCountry
} from "@xcontacts/domain"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { json, limit } from "../CommonFlags.ts"
import { ExitCode, tooLong, usage } from "../ExitCode.ts"
import { printAll } from "../Listing.ts"
import { contactDetail, contactLine } from "../Output.ts"
import { withStores } from "../Root.ts"
import { recordDivision } from "../SettingsFlags.ts"

const division = Flag.String("division").pipe(
  Flag.withDescription("Only this division"),
  Flag.optional
)
const country = Flag.String("country").pipe(
  Flag.withDescription("Phone country for numbers written without a calling code"),
  Flag.withDefault(defaultImportSettings.country)
)
const text = (name: string, description: string) =>
  Flag.String(name).pipe(Flag.withDescription(description), Flag.optional)

const some = <A>(option: Option.Option<A>): A | undefined => Option.getOrUndefined(option)

const list = Command.make(
  "list",
  { json, limit, division },
  Effect.fn("ContactsList")(function* (input) {
    yield* withStores(
      Effect.gen(function* () {
        const contacts = yield* ContactStore
        yield* printAll({
          page: (after, pageLimit) =>
            contacts.list({
              limit: pageLimit,
              ...(after === undefined ? {} : { after }),
              ...(input.division._tag === "Some" ? { division: input.division.value } : {})
            }),
          limit: input.limit,
          json: input.json,
          line: contactLine
        })
      })
    )
  })
).pipe(Command.withDescription("List contacts, all of them unless --limit is given"))

const get = Command.make(
  "get",
  { id: Argument.String("id").pipe(Argument.withDescription("The contact's id")), json },
  Effect.fn("ContactsGet")(function* (input) {
    yield* withStores(
      Effect.gen(function* () {
        const store = yield* ContactStore
        const contact = yield* store.get(input.id)
        if (Option.isNone(contact)) {
          // An unknown id is a usage error, as an unknown job or profile is.
          yield* Console.error(`no contact has the id ${input.id}`)
          process.exitCode = ExitCode.usage
          return
        }
        const mergedInto = Option.getOrNull(yield* store.mergedInto(input.id))
        const merges = yield* store.merges(input.id)
        yield* Console.log(
          input.json
            ? JSON.stringify({ ...contact.value, mergedIntoId: mergedInto, merges })
            : contactDetail(contact.value, mergedInto, merges)
        )
      })
    )
  })
).pipe(Command.withDescription("Show one contact, with what was merged into it"))

const find = Command.make(
  "find",
  {
    email: text("email", "Any of the three emails, case-insensitive"),
    phone: text("phone", "Any of the four phones, in any format (compared in E.164)"),
    externalId: text("external-id", "An External ID"),
    source: text("source", "With --external-id: only this external source"),
    country,
    division,
    json
  },
  Effect.fn("ContactsFind")(function* (input) {
    // A blank value is no value: the command asks for one instead of finding nothing.
    const email = some(input.email)?.trim() || undefined
    const rawPhone = some(input.phone)?.trim() || undefined
    // Keys are stored trimmed: ` K-1` finds `K-1`, as the import would have read it.
    const externalId = some(input.externalId)?.trim() || undefined
    if (email === undefined && rawPhone === undefined && externalId === undefined) {
      return yield* usage("give --email, --phone or --external-id")
    }
    let phone: string | undefined
    if (rawPhone !== undefined) {
      const country = parsePhoneCountry(input.country)
      if (country === null) return yield* usage(`"${input.country}" is not a phone country`)
      const parsed = normalizePhone(rawPhone, country)
      if (parsed.phone?.e164 == null) {
        return yield* usage(`"${rawPhone}" is not a valid phone number in ${input.country}`)
      }
      phone = parsed.phone.e164
    }
    const source = some(input.source)
    const inDivision = some(input.division)
    yield* withStores(
      Effect.gen(function* () {
        const store = yield* ContactStore
        const found = yield* store.list({
          limit: 1000,
          ...(email === undefined ? {} : { email: cleanEmail(email).toLowerCase() }),
          ...(phone === undefined ? {} : { phone }),
          ...(externalId === undefined ? {} : { externalId }),
          ...(source === undefined ? {} : { source }),
          ...(inDivision === undefined ? {} : { division: inDivision })
        })
        if (input.json) yield* Console.log(JSON.stringify(found))
        else for (const contact of found) yield* Console.log(contactLine(contact))
      })
    )
  })
).pipe(Command.withDescription("Find contacts by email, phone or External ID"))

const create = Command.make(
  "create",
  {
    firstName: text("first-name", "First name"),
    lastName: text("last-name", "Last name"),
    title: text("title", "Job title"),
    email: text("email", "Work email"),
    personalEmail: text("personal-email", "Personal email"),
    phone: text("phone", "Work phone, in any format"),
    cellPhone: text("cell-phone", "Cell phone, in any format"),
    country,
    division: recordDivision("Division of the new contact"),
    json
  },
  Effect.fn("ContactsCreate")(function* (input) {
    const fields: { -readonly [K in keyof ContactFields]?: ContactFields[K] } = {}
    for (const [flag, field, value] of [
      ["first-name", "firstName", input.firstName],
      ["last-name", "lastName", input.lastName],
      ["title", "title", input.title],
      ["email", "workEmail", input.email],
      ["personal-email", "personalEmail", input.personalEmail],
      ["phone", "workPhone", input.phone],
      ["cell-phone", "cellPhone", input.cellPhone]
    ] as const) {
      const problem = Option.isSome(value)
        ? tooLong(flag, value.value.trim(), contactFieldMaxLength[field])
        : null
      if (problem !== null) return yield* usage(problem)
    }
    for (const [field, value] of [
      ["firstName", input.firstName],
      ["lastName", input.lastName],
      ["title", input.title]
    ] as const) {
      if (Option.isSome(value)) fields[field] = value.value.trim()
    }
    for (const [field, value] of [
      ["workEmail", input.email],
      ["personalEmail", input.personalEmail]
    ] as const) {
      if (Option.isNone(value)) continue
      const email = cleanEmail(value.value)
      if (!isEmail(email)) return yield* usage(`"${value.value}" is not an email address`)
      fields[field] = email
    }
    const country = parsePhoneCountry(input.country)
    if (country === null) return yield* usage(`"${input.country}" is not a phone country`)
    for (const [field, value] of [
      ["workPhone", input.phone],
      ["cellPhone", input.cellPhone]
    ] as const) {
      if (Option.isSome(value)) fields[field] = normalizePhone(value.value, country).phone
    }
    const contact: Contact = yield* withStores(createContact({ division: input.division, fields }))
    yield* Console.log(input.json ? JSON.stringify(contact) : contactLine(contact))
  })
).pipe(
  Command.withDescription(
    "Create a contact by hand, without External ID: a legacy contact that imports can match"
  )
)

export const contactsCommand = Command.make("contacts").pipe(
  Command.withDescription("Read, find and create contacts"),
  Command.withSubcommands([list, get, find, create])
)
