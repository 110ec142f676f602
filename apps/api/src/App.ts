import { mkdirSync } from "node:fs"
import { Hono } from "hono"
import type { AppOptions, Runner } from "./Runner.ts"
import { directoryRoutes } from "./routes/DirectoryRoutes.ts"
import { importsRoutes } from "./routes/ImportsRoutes.ts"

export type { ApiServices, AppOptions, Runner } from "./Runner.ts"

/** The HTTP API as a Hono app; every route runs its work through `run`. */
export const makeApp = (run: Runner, options: AppOptions) => {
  const app = new Hono()
  mkdirSync(options.uploadDir, { recursive: true })

  app.get("/healthz", (context) => context.json({ status: "ok" }))
  importsRoutes(app, run, options)
  directoryRoutes(app, run)

  return app
}
