import { mkdirSync } from "node:fs"
import { ApiKeyStore } from "@xcontacts/domain"
import { Effect, Exit, Option } from "effect"
import { type Context, Hono } from "hono"
import { Health } from "./ApiSchemas.ts"
import { apiKeyAuth } from "./middleware/ApiKeyAuth.ts"
import { bodyLimit } from "./middleware/BodyLimit.ts"
import { importDivisionGuard } from "./middleware/ImportDivisionGuard.ts"
import { type AccessLogEntry, requestLog } from "./middleware/RequestLog.ts"
import { route } from "./openapi/Operation.ts"
import { RouteRegistry } from "./openapi/RouteRegistry.ts"
import { problem } from "./Problems.ts"
import { type AppOptions, defaultMaxBodyBytes, type Runner, type Spawner } from "./Runner.ts"
import { contactsRoutes } from "./routes/ContactsRoutes.ts"
import { docsRoutes, isPublicPath } from "./routes/DocsRoutes.ts"
import { importSettingsOf } from "./routes/ImportSettingsQuery.ts"
import { importsRoutes } from "./routes/ImportsRoutes.ts"
import { keysRoutes } from "./routes/KeysRoutes.ts"
import { organizationsRoutes } from "./routes/OrganizationsRoutes.ts"
import { settingsRoutes } from "./routes/SettingsRoutes.ts"

export type { ApiKeyGrant } from "./ApiKeyGrant.ts"
export { grantOf, listedDivisions, reachesDivision } from "./ApiKeyGrant.ts"
export * from "./ApiKeys.ts"
export type { ApiServices, AppOptions, Runner, Spawner } from "./Runner.ts"

const accessLog = (run: Runner) => (entry: AccessLogEntry) =>
  void run(Effect.logInfo("request").pipe(Effect.annotateLogs({ ...entry })))

const findKey = (run: Runner) => async (secretHash: string) => {
  const exit = await run(ApiKeyStore.use((keys) => keys.findByHash(secretHash)))
  if (Exit.isFailure(exit)) throw new Error("the key store failed")
  return Option.getOrUndefined(exit.value)
}

/** The division an import request resolves to, its profile's included. */
const importDivision = (run: Runner) => async (context: Context) => {
  const exit = await run(
    importSettingsOf(
      (name) => context.req.query(name),
      (name) => context.req.queries(name) ?? []
    )
  )
  return Exit.isSuccess(exit) ? exit.value.division : undefined
}

/** Whether a URL's path or query decodes to a NUL character: a store query would fail on it. */
const holdsNul = (url: string): boolean => {
  const { pathname, searchParams } = new URL(url)
  const decoded = (() => {
    try {
      return decodeURIComponent(pathname)
    } catch {
      return pathname
    }
  })()
  return (
    decoded.includes("\u0000") ||
    [...searchParams].some(([name, value]) => `${name}${value}`.includes("\u0000"))
  )
}

/**
 * The HTTP API as a Hono app; every route runs its work through `run`. Every request gets an
 * id and an access log line; every route but health and docs needs an API key; bodies past
 * the limit get 413. Import jobs run through `spawn`, beyond their request.
 */
export const makeApp = (
  run: Runner,
  options: AppOptions,
  spawn: Spawner = (effect) => void run(effect)
) => {
  const app = new Hono()
  const registry = new RouteRegistry()
  // Uploads hold personal data: only the server's own user may read them.
  mkdirSync(options.uploadDir, { recursive: true, mode: 0o700 })

  app.use(requestLog({ log: accessLog(run) }))
  app.use(apiKeyAuth({ findKey: findKey(run), isPublic: isPublicPath }))
  app.use("/v1/*", bodyLimit({ maxBytes: options.maxBodyBytes ?? defaultMaxBodyBytes }))
  app.use("/v1/*", async (context, next) =>
    holdsNul(context.req.url)
      ? problem(
          context,
          422,
          "invalid-parameter",
          "A path or query parameter holds a NUL character (%00), which no stored text can"
        )
      : next()
  )
  app.on("POST", "/v1/imports", importDivisionGuard({ divisionOf: importDivision(run) }))
  app.notFound((context) => problem(context, 404, "not-found", "No such route"))
  app.onError((_error, context) =>
    problem(context, 500, "internal-error", "Something went wrong on the server")
  )

  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/healthz",
      operationId: "health",
      summary: "Whether the server is up",
      tag: "health",
      public: true,
      responses: { 200: { description: "Up", schema: Health } }
    },
    () => Effect.succeed({ status: 200, value: { status: "ok" } })
  )
  docsRoutes(app, registry, { title: "xcontacts", version: "0.1.0" })
  importsRoutes(app, registry, run, spawn, options)
  contactsRoutes(app, registry, run)
  organizationsRoutes(app, registry, run)
  settingsRoutes(app, registry, run)
  keysRoutes(app, registry, run)

  return app
}
