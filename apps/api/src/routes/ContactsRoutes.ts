import {
  type Contact,
  type ContactFields,
  ContactStore,
  contactEmailFields,
  contactPhoneFields,
  createContact,
  normalizePhone,
  OrganizationStore,
  updateContact
} from "@xcontacts/domain"
import { Effect, Option } from "effect"
import type { Hono } from "hono"
import { listedDivisions } from "../ApiKeyGrant.ts"
import { ContactBody, ContactPage, ContactPatchBody, NewContactBody } from "../ApiSchemas.ts"
import { ApiProblem, route } from "../openapi/Operation.ts"
import type { RouteRegistry } from "../openapi/RouteRegistry.ts"
import type { Runner } from "../Runner.ts"
import {
  cursorOf,
  emailsOf,
  limitOf,
  notFound,
  pageOf,
  pagingParameters,
  phoneCountryOf,
  phonesOf,
  requireDivision
} from "./RouteSupport.ts"

type ContactWrites = typeof ContactPatchBody.Type

/** What a 422 of this route means; a schema failure names each field in `detail`. */
const invalidBody = {
  description:
    "A value the import rejects too (over the field's length limit, a URL that is not http(s), " +
    "not an email address, an unknown phone country), or no such organization in the division"
}

const errors = {
  401: { description: "No API key, or a revoked one" },
  403: { description: "The key does not reach the record's division" }
}

/** The stored fields from a body: emails trimmed and checked, phones read with spec §5. */
const fieldsOf = Effect.fnUntraced(function* (body: ContactWrites) {
  const { phoneCountry, organizationId: _, ...given } = body
  const phones = yield* phonesOf(given, contactPhoneFields, phoneCountry)
  const emails = yield* emailsOf(given, contactEmailFields)
  return { ...given, ...emails, ...phones } as Partial<ContactFields>
})

/** A contact may only link to an organization of its own division. */
const checkOrganization = Effect.fnUntraced(function* (
  organizationId: string | null | undefined,
  division: string
) {
  if (organizationId === undefined || organizationId === null) return
  const found = yield* OrganizationStore.use((store) => store.get(organizationId))
  if (Option.isNone(found) || found.value.division !== division) {
    return yield* new ApiProblem({
      status: 422,
      type: "unknown-organization",
      title: "No such organization in the contact's division",
      detail: `organization ${organizationId}`
    })
  }
})

/** Reads a contact the request's key may reach: 404 when there is none, 403 elsewhere. */
const reachableContact = Effect.fnUntraced(function* (
  context: Parameters<typeof requireDivision>[0],
  id: string
) {
  const found = yield* ContactStore.use((store) => store.get(id))
  if (Option.isNone(found)) return yield* notFound("contact", id)
  yield* requireDivision(context, found.value.division)
  return found.value
})

/** `/v1/contacts`: find, read, create, change and delete contacts. */
export const contactsRoutes = (app: Hono, registry: RouteRegistry, run: Runner) => {
  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/contacts",
      operationId: "listContacts",
      summary: "List contacts, filtered and paged by id; merged-away contacts are left out",
      tag: "contacts",
      parameters: [
        { name: "email", in: "query", description: "Any of the three emails, any case" },
        { name: "phone", in: "query", description: "Any of the four phones, any format" },
        { name: "country", in: "query", description: "Country of a national phone (default US)" },
        { name: "externalId", in: "query", description: "An External ID" },
        { name: "source", in: "query", description: "With externalId: its external source" },
        { name: "division", in: "query", description: "Only this division" },
        ...pagingParameters
      ],
      responses: {
        200: { description: "A page of contacts", schema: ContactPage },
        ...errors,
        422: { description: "A phone that is not a valid number, or a country that names none" }
      }
    },
    ({ context, query }) =>
      Effect.gen(function* () {
        const limit = yield* limitOf(query("limit"))
        const division = query("division")
        if (division !== undefined) yield* requireDivision(context, division)
        let phone: string | undefined
        const phoneText = query("phone")
        // A country that names none is the problem, whatever the phone.
        const country = yield* phoneCountryOf(query("country"))
        if (phoneText !== undefined) {
          phone = normalizePhone(phoneText, country).phone?.e164 ?? undefined
          if (phone === undefined) {
            return yield* new ApiProblem({
              status: 422,
              type: "invalid-phone",
              title: "Not a valid phone number",
              detail: "only valid numbers take part in phone search; add the country code"
            })
          }
        }
        const given = {
          after: yield* cursorOf(query("cursor"), "ct_"),
          email: query("email"),
          phone,
          // Keys are stored trimmed, as the import and the forms store them.
          externalId: query("externalId")?.trim(),
          source: query("source"),
          division,
          divisions: listedDivisions(context)
        }
        const filters = Object.fromEntries(
          Object.entries(given).filter(([, value]) => value !== undefined)
        )
        const data = yield* ContactStore.use((store) => store.list({ ...filters, limit }))
        return { status: 200, value: pageOf(data, limit) }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "post",
      path: "/v1/contacts",
      operationId: "createContact",
      summary: "Create a contact by hand (a legacy contact unless External IDs are given)",
      tag: "contacts",
      body: NewContactBody,
      responses: {
        201: { description: "The contact as stored", schema: ContactBody },
        ...errors,
        409: { description: "One of its External IDs is taken in its source and division" },
        415: { description: "The body is not JSON" },
        422: invalidBody
      }
    },
    ({ context, body }) =>
      Effect.gen(function* () {
        const division = body.division ?? "unassigned"
        yield* requireDivision(context, division)
        const fields = yield* fieldsOf(body)
        yield* checkOrganization(body.organizationId, division)
        for (const { source, externalId } of body.externalIds ?? []) {
          const [holder] = yield* ContactStore.use((store) =>
            store.list({ externalId, source, division, limit: 1 })
          )
          if (holder !== undefined) {
            return yield* new ApiProblem({
              status: 409,
              type: "external-id-taken",
              title: "External ID taken",
              detail: `"${externalId}" in source "${source}" is held by ${holder.id}`
            })
          }
        }
        let contact: Contact = yield* createContact({
          division,
          fields,
          externalIds: body.externalIds ?? []
        })
        if (body.organizationId !== undefined && body.organizationId !== null) {
          contact = yield* updateContact(contact, {
            fields: {},
            organizationId: body.organizationId
          })
        }
        return { status: 201, value: contact }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/contacts/{id}",
      operationId: "getContact",
      summary: "Read one contact, also one merged into another",
      tag: "contacts",
      parameters: [{ name: "id", in: "path", description: "The contact's id" }],
      responses: {
        200: { description: "The contact", schema: ContactBody },
        ...errors,
        404: { description: "No such contact" }
      }
    },
    ({ context, param }) =>
      Effect.map(reachableContact(context, param("id")), (value) => ({ status: 200, value }))
  )

  route(
    app,
    registry,
    run,
    {
      method: "patch",
      path: "/v1/contacts/{id}",
      operationId: "updateContact",
      summary: "Change some fields of a contact; null clears a field",
      tag: "contacts",
      parameters: [{ name: "id", in: "path", description: "The contact's id" }],
      body: ContactPatchBody,
      responses: {
        200: { description: "The contact as stored", schema: ContactBody },
        ...errors,
        404: { description: "No such contact" },
        415: { description: "The body is not JSON" },
        422: invalidBody
      }
    },
    ({ context, param, body }) =>
      Effect.gen(function* () {
        const current = yield* reachableContact(context, param("id"))
        const fields = yield* fieldsOf(body)
        yield* checkOrganization(body.organizationId, current.division)
        const updated = yield* updateContact(current, {
          fields,
          ...(body.organizationId === undefined ? {} : { organizationId: body.organizationId })
        })
        return { status: 200, value: updated }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "delete",
      path: "/v1/contacts/{id}",
      operationId: "deleteContact",
      summary: "Delete a contact for good, with its External IDs (ADR 0500)",
      tag: "contacts",
      parameters: [{ name: "id", in: "path", description: "The contact's id" }],
      responses: {
        204: { description: "Deleted" },
        ...errors,
        404: { description: "No such contact" }
      }
    },
    ({ context, param }) =>
      Effect.gen(function* () {
        const current = yield* reachableContact(context, param("id"))
        const removed = yield* ContactStore.use((store) => store.remove(current.id))
        if (!removed) return yield* notFound("contact", current.id)
        return { status: 204 }
      })
  )
}
