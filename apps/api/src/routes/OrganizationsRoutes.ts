import {
  ContactStore,
  createOrganization,
  defaultImportSettings,
  type OrganizationFields,
  OrganizationStore,
  updateOrganization
} from "@xcontacts/domain"
import { Effect, Option } from "effect"
import type { Context, Hono } from "hono"
import { listedDivisions } from "../ApiKeyGrant.ts"
import {
  AssignExternalIdBody,
  ContactPage,
  NewOrganizationBody,
  OrganizationBody,
  OrganizationPage,
  OrganizationPatchBody
} from "../ApiSchemas.ts"
import { route } from "../openapi/Operation.ts"
import type { RouteRegistry } from "../openapi/RouteRegistry.ts"
import type { Runner } from "../Runner.ts"
import {
  cursorOf,
  limitOf,
  notFound,
  pageOf,
  pagingParameters,
  phonesOf,
  requireDivision
} from "./RouteSupport.ts"

/** What a 422 of this route means; a schema failure names each field in `detail`. */
const invalidBody = {
  description:
    "A value the import rejects too: over the field's length limit, a blank or missing name on " +
    "create, a website that is not one, a revenue not in digits, an unknown phone country"
}

const errors = {
  401: { description: "No API key, or a revoked one" },
  403: { description: "The key does not reach the record's division" }
}
const idParameter = [{ name: "id", in: "path" as const, description: "The organization's id" }]

const fieldsOf = Effect.fnUntraced(function* (body: typeof OrganizationPatchBody.Type) {
  const { phoneCountry, ...given } = body
  const phones = yield* phonesOf(given, ["phoneNumber", "faxNumber"], phoneCountry)
  return { ...given, ...phones } as Partial<OrganizationFields>
})

/** Reads an organization the request's key may reach: 404 when there is none, 403 elsewhere. */
const reachableOrganization = Effect.fnUntraced(function* (context: Context, id: string) {
  const found = yield* OrganizationStore.use((store) => store.get(id))
  if (Option.isNone(found)) return yield* notFound("organization", id)
  yield* requireDivision(context, found.value.division)
  return found.value
})

const filtersOf = (given: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined))

/** `/v1/organizations`: find, read, create, change and delete organizations and list members. */
export const organizationsRoutes = (app: Hono, registry: RouteRegistry, run: Runner) => {
  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/organizations",
      operationId: "listOrganizations",
      summary: "List organizations, filtered and paged by id",
      tag: "organizations",
      parameters: [
        { name: "externalId", in: "query", description: "An External Organization External ID" },
        { name: "source", in: "query", description: "With externalId: its external source" },
        { name: "division", in: "query", description: "Only this division" },
        ...pagingParameters
      ],
      responses: { 200: { description: "A page", schema: OrganizationPage }, ...errors }
    },
    ({ context, query }) =>
      Effect.gen(function* () {
        const limit = yield* limitOf(query("limit"))
        const division = query("division")
        if (division !== undefined) yield* requireDivision(context, division)
        const filters = filtersOf({
          after: yield* cursorOf(query("cursor"), "org_"),
          externalId: query("externalId")?.trim(),
          source: query("source"),
          division,
          divisions: listedDivisions(context)
        })
        const data = yield* OrganizationStore.use((store) => store.list({ ...filters, limit }))
        return { status: 200, value: pageOf(data, limit) }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "post",
      path: "/v1/organizations",
      operationId: "createOrganization",
      summary: "Create an organization by hand",
      tag: "organizations",
      body: NewOrganizationBody,
      responses: {
        201: { description: "The organization as stored", schema: OrganizationBody },
        ...errors,
        415: { description: "The body is not JSON" },
        422: invalidBody
      }
    },
    ({ context, body }) =>
      Effect.gen(function* () {
        const division = body.division ?? "unassigned"
        yield* requireDivision(context, division)
        const { division: _, ...writes } = body
        const organization = yield* createOrganization({
          division,
          fields: yield* fieldsOf(writes)
        })
        return { status: 201, value: organization }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/organizations/{id}",
      operationId: "getOrganization",
      summary: "Read one organization",
      tag: "organizations",
      parameters: idParameter,
      responses: {
        200: { description: "The organization", schema: OrganizationBody },
        ...errors,
        404: { description: "No such organization" }
      }
    },
    ({ context, param }) =>
      Effect.map(reachableOrganization(context, param("id")), (value) => ({ status: 200, value }))
  )

  route(
    app,
    registry,
    run,
    {
      method: "patch",
      path: "/v1/organizations/{id}",
      operationId: "updateOrganization",
      summary: "Change some fields of an organization; null clears a field",
      tag: "organizations",
      parameters: idParameter,
      body: OrganizationPatchBody,
      responses: {
        200: { description: "The organization as stored", schema: OrganizationBody },
        ...errors,
        404: { description: "No such organization" },
        415: { description: "The body is not JSON" },
        422: invalidBody
      }
    },
    ({ context, param, body }) =>
      Effect.gen(function* () {
        const current = yield* reachableOrganization(context, param("id"))
        const updated = yield* updateOrganization(current, yield* fieldsOf(body))
        return { status: 200, value: updated }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "delete",
      path: "/v1/organizations/{id}",
      operationId: "deleteOrganization",
      summary: "Delete an organization and its External IDs; its contacts stay, unlinked",
      tag: "organizations",
      parameters: idParameter,
      responses: {
        204: { description: "Deleted" },
        ...errors,
        404: { description: "No such organization" }
      }
    },
    ({ context, param }) =>
      Effect.gen(function* () {
        const current = yield* reachableOrganization(context, param("id"))
        const removed = yield* OrganizationStore.use((store) => store.remove(current.id))
        if (!removed) return yield* notFound("organization", current.id)
        return { status: 204 }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/organizations/{id}/contacts",
      operationId: "listOrganizationContacts",
      summary: "List the contacts linked to an organization, paged by id",
      tag: "organizations",
      parameters: [...idParameter, ...pagingParameters],
      responses: {
        200: { description: "A page of contacts", schema: ContactPage },
        ...errors,
        404: { description: "No such organization" }
      }
    },
    ({ context, param, query }) =>
      Effect.gen(function* () {
        const organization = yield* reachableOrganization(context, param("id"))
        const limit = yield* limitOf(query("limit"))
        const filters = filtersOf({
          after: yield* cursorOf(query("cursor"), "ct_"),
          organizationId: organization.id
        })
        const data = yield* ContactStore.use((store) => store.list({ ...filters, limit }))
        return { status: 200, value: pageOf(data, limit) }
      })
  )

  // Spec §6: a hand-made organization gets an External ID, and files can then add members to it.
  route(
    app,
    registry,
    run,
    {
      method: "post",
      path: "/v1/organizations/{id}/external-ids",
      operationId: "assignOrganizationExternalId",
      summary: "Give an organization an External ID in a source, so that files can target it",
      tag: "organizations",
      parameters: idParameter,
      body: AssignExternalIdBody,
      responses: {
        201: { description: "The organization with its External IDs", schema: OrganizationBody },
        ...errors,
        404: { description: "No such organization" },
        409: { description: "Another organization holds it in the source and division" },
        422: { description: "The External ID is empty or too long" }
      }
    },
    ({ context, param, body }) =>
      Effect.gen(function* () {
        const organization = yield* reachableOrganization(context, param("id"))
        const assigned = yield* OrganizationStore.use((store) =>
          store.assignExternalId({
            organizationId: organization.id,
            source: body.source ?? defaultImportSettings.source,
            externalId: body.externalId
          })
        )
        return { status: 201, value: assigned }
      })
  )
}
