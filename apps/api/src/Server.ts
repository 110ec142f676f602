import { serve } from "@hono/node-server"
import { Effect } from "effect"
import { type ApiServices, type AppOptions, makeApp } from "./App.ts"

/**
 * Serves the API on `port` until the scope closes, then stops accepting connections and lets
 * running requests finish.
 */
export const serveApi = Effect.fnUntraced(function* (port: number, options: AppOptions) {
  const services = yield* Effect.context<ApiServices>()
  const app = makeApp((effect) => Effect.runPromiseExitWith(services)(effect), options)
  const server = yield* Effect.acquireRelease(
    Effect.callback<ReturnType<typeof serve>>((resume) => {
      const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () =>
        resume(Effect.succeed(server))
      )
    }),
    (server) => Effect.callback<void>((resume) => void server.close(() => resume(Effect.void)))
  )
  const address = server.address()
  return typeof address === "object" && address !== null ? address.port : port
})
