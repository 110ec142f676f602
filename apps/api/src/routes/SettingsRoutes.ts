import {
  ExternalSourceStore,
  type ImportProfile,
  ImportProfileStore,
  readProfileName
} from "@xcontacts/domain"
import { DateTime, Effect, Option, Result } from "effect"
import type { Hono } from "hono"
import {
  ExternalSourceList,
  ImportProfileBody,
  ImportProfileList,
  ImportProfileSettingsBody,
  NewImportProfileBody
} from "../ApiSchemas.ts"
import { ApiProblem, route } from "../openapi/Operation.ts"
import type { RouteRegistry } from "../openapi/RouteRegistry.ts"
import type { Runner } from "../Runner.ts"
import { notFound, reachesProfile, requireProfile, requireProfileChange } from "./RouteSupport.ts"

const nameParameter = [{ name: "name", in: "path" as const, description: "The profile's name" }]
const unauthorized = { 401: { description: "No API key, or a revoked one" } }
const refused = {
  403: { description: "The profile's division is out of the key's reach" },
  415: { description: "The body is not JSON" },
  422: { description: "The body does not match the schema" }
}

/** The profile name of a path, by the rule a new profile's name follows; 422 when it breaks it. */
const profileNameOf = (given: string) =>
  Result.match(readProfileName(given), {
    onSuccess: (name) => Effect.succeed(name),
    onFailure: (reason) =>
      Effect.fail(
        new ApiProblem({
          status: 422,
          type: "invalid-parameter",
          title: "The profile name is not valid",
          detail: reason
        })
      )
  })

/** `/v1/import-profiles` (saved import settings) and `/v1/external-sources`. */
export const settingsRoutes = (app: Hono, registry: RouteRegistry, run: Runner) => {
  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/external-sources",
      operationId: "listExternalSources",
      summary: "List the external sources, created on first use",
      tag: "settings",
      responses: {
        200: { description: "The sources", schema: ExternalSourceList },
        ...unauthorized
      }
    },
    () =>
      Effect.map(
        ExternalSourceStore.use((store) => store.sources()),
        (data) => ({
          status: 200,
          value: { data }
        })
      )
  )

  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/import-profiles",
      operationId: "listImportProfiles",
      summary: "List the saved import profiles by name, those of the key's divisions",
      tag: "settings",
      responses: {
        200: { description: "The profiles", schema: ImportProfileList },
        ...unauthorized
      }
    },
    ({ context }) =>
      Effect.map(
        ImportProfileStore.use((store) => store.list),
        (profiles) => ({
          status: 200,
          value: { data: profiles.filter((profile) => reachesProfile(context, profile)) }
        })
      )
  )

  route(
    app,
    registry,
    run,
    {
      method: "post",
      path: "/v1/import-profiles",
      operationId: "createImportProfile",
      summary: "Save import settings under a new name",
      tag: "settings",
      body: NewImportProfileBody,
      responses: {
        201: { description: "The profile", schema: ImportProfileBody },
        ...unauthorized,
        ...refused,
        409: { description: "A profile of that name exists" }
      }
    },
    ({ context, body }) =>
      Effect.gen(function* () {
        yield* requireProfileChange(context, body.settings.division)
        const store = yield* ImportProfileStore
        if (Option.isSome(yield* store.get(body.name))) {
          return yield* new ApiProblem({
            status: 409,
            type: "profile-exists",
            title: "An import profile of that name exists",
            detail: `PUT /v1/import-profiles/${encodeURIComponent(body.name)} replaces it`
          })
        }
        const now = DateTime.formatIso(yield* DateTime.now)
        const profile: ImportProfile = { ...body, createdAt: now, updatedAt: now }
        yield* store.save(profile)
        return { status: 201, value: profile }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/import-profiles/{name}",
      operationId: "getImportProfile",
      summary: "Read one import profile",
      tag: "settings",
      parameters: nameParameter,
      responses: {
        200: { description: "The profile", schema: ImportProfileBody },
        ...unauthorized,
        403: refused[403],
        404: { description: "No such profile" }
      }
    },
    ({ context, param }) =>
      Effect.gen(function* () {
        const found = yield* ImportProfileStore.use((store) => store.get(param("name").trim()))
        if (Option.isNone(found)) return yield* notFound("import profile", param("name"))
        yield* requireProfile(context, found.value)
        return { status: 200, value: found.value }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "put",
      path: "/v1/import-profiles/{name}",
      operationId: "replaceImportProfile",
      summary: "Replace a profile's settings, or create the profile",
      tag: "settings",
      parameters: nameParameter,
      body: ImportProfileSettingsBody,
      responses: {
        200: { description: "The profile", schema: ImportProfileBody },
        ...unauthorized,
        ...refused,
        422: { description: "The body does not match the schema, or the name breaks the rule" }
      }
    },
    ({ context, param, body }) =>
      Effect.gen(function* () {
        const name = yield* profileNameOf(param("name"))
        yield* requireProfileChange(context, body.settings.division)
        const store = yield* ImportProfileStore
        const existing = yield* store.get(name)
        if (Option.isSome(existing)) {
          yield* requireProfileChange(context, existing.value.settings.division)
        }
        const now = DateTime.formatIso(yield* DateTime.now)
        const profile: ImportProfile = {
          name,
          settings: body.settings,
          createdAt: Option.match(existing, { onNone: () => now, onSome: (p) => p.createdAt }),
          updatedAt: now
        }
        yield* store.save(profile)
        return { status: 200, value: profile }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "delete",
      path: "/v1/import-profiles/{name}",
      operationId: "deleteImportProfile",
      summary: "Delete an import profile",
      tag: "settings",
      parameters: nameParameter,
      responses: {
        204: { description: "Deleted" },
        ...unauthorized,
        403: refused[403],
        404: { description: "No such profile" }
      }
    },
    ({ context, param }) =>
      Effect.gen(function* () {
        const store = yield* ImportProfileStore
        // Names are saved trimmed, and looked up so.
        const name = param("name").trim()
        const found = yield* store.get(name)
        if (Option.isNone(found)) return yield* notFound("import profile", param("name"))
        yield* requireProfileChange(context, found.value.settings.division)
        if (!(yield* store.remove(name))) {
          return yield* notFound("import profile", param("name"))
        }
        return { status: 204 }
      })
  )
}
