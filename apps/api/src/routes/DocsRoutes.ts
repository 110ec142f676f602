import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import type { Hono } from "hono"
import { type OpenApiInfo, openApiDocument } from "../openapi/OpenApiDocument.ts"
import type { RouteRegistry } from "../openapi/RouteRegistry.ts"

/** The paths served without an API key. */
export const isPublicPath = (path: string): boolean =>
  path === "/healthz" || path === "/openapi.json" || path === "/docs" || path.startsWith("/docs/")

// Swagger UI's files come from the npm package, so the docs page works without the internet.
const swaggerUi = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"))

const assets: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png"
}

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>xcontacts API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="docs"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`

const init = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#docs",
  deepLinking: true,
  validatorUrl: "none",
  persistAuthorization: false
})
`

/**
 * `/openapi.json`, built on each request from the registry (so that routes registered later
 * appear), and `/docs`, a Swagger UI page served from the installed package.
 */
export const docsRoutes = (app: Hono, registry: RouteRegistry, info: OpenApiInfo) => {
  app.get("/openapi.json", (context) => context.json(openApiDocument(registry, info)))
  app.get("/docs", (context) => context.html(page))
  app.get("/docs/init.js", (context) =>
    context.body(init, 200, { "content-type": "text/javascript; charset=utf-8" })
  )
  app.get("/docs/:asset", async (context) => {
    const asset = context.req.param("asset")
    const type = assets[asset]
    if (type === undefined) return context.notFound()
    const bytes = await readFile(join(swaggerUi, asset))
    return context.body(bytes, 200, {
      "content-type": type,
      "cache-control": "public, max-age=86400"
    })
  })
}
