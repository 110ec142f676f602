import { ApiKey, ApiKeyStore } from "@xcontacts/domain"
import { DateTime, Effect, Schema } from "effect"
import type { Context, Hono } from "hono"
import { grantOf } from "../ApiKeyGrant.ts"
import { ApiProblem, route } from "../openapi/Operation.ts"
import type { RouteRegistry } from "../openapi/RouteRegistry.ts"
import type { Runner } from "../Runner.ts"
import { notFound } from "./RouteSupport.ts"

const ApiKeyList = Schema.Struct({
  data: Schema.Array(ApiKey.annotate({ identifier: "ApiKey" }))
}).annotate({ identifier: "ApiKeyList" })

const responses = {
  401: { description: "No API key, or a revoked one" },
  403: { description: "The key is limited to divisions: only a key that reaches all manages keys" }
}

/**
 * Keys are managed by a key that reaches every division, as by the CLI: a key limited to some
 * could otherwise revoke the keys of others, or read who holds which.
 */
const requireUnlimited = (context: Context) =>
  grantOf(context).divisions.length === 0
    ? Effect.void
    : Effect.fail(
        new ApiProblem({
          status: 403,
          type: "key-forbidden",
          title: "Only a key that reaches every division manages API keys",
          detail: `this key is limited to ${grantOf(context).divisions.join(", ")}`
        })
      )

/**
 * `/v1/keys`: list and revoke API keys while the server runs. On the embedded store the server
 * holds the data folder, so `xcontacts keys revoke` cannot reach it until the server stops.
 */
export const keysRoutes = (app: Hono, registry: RouteRegistry, run: Runner) => {
  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/keys",
      operationId: "listApiKeys",
      summary: "List the API keys: ids, names, divisions, when created or revoked; never the keys",
      tag: "keys",
      responses: { 200: { description: "The keys", schema: ApiKeyList }, ...responses }
    },
    ({ context }) =>
      Effect.gen(function* () {
        yield* requireUnlimited(context)
        const keys = yield* ApiKeyStore.use((store) => store.list)
        return { status: 200, value: { data: keys } }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "delete",
      path: "/v1/keys/{id}",
      operationId: "revokeApiKey",
      summary: "Revoke an API key: requests with it get 401 from then on",
      tag: "keys",
      parameters: [{ name: "id", in: "path", description: "The key's id" }],
      responses: {
        204: { description: "Revoked (or it already was)" },
        ...responses,
        404: { description: "No such key" }
      }
    },
    ({ context, param }) =>
      Effect.gen(function* () {
        yield* requireUnlimited(context)
        const id = param("id")
        const now = DateTime.formatIso(yield* DateTime.now)
        const found = yield* ApiKeyStore.use((store) => store.revoke(id, now))
        if (!found) return yield* notFound("API key", id)
        return { status: 204 }
      })
  )
}
