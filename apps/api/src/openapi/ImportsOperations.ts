import type { RouteRegistry } from "./RouteRegistry.ts"

// TODO(#6): the imports routes should register these themselves beside their handlers, with
// schemas for the job; until then the document describes what they serve today.
/** The OpenAPI entries of the `/v1/imports` routes. */
export const registerImportsOperations = (registry: RouteRegistry) => {
  const common = {
    401: { description: "No API key, or a revoked one" },
    403: { description: "The key does not reach the import's division" }
  }
  registry.add({
    method: "post",
    path: "/v1/imports",
    operationId: "createImport",
    summary: "Upload a CSV file and run its import job; settings come as query parameters",
    tag: "imports",
    parameters: [
      "source",
      "division",
      "match",
      "merge",
      "blank",
      "country",
      "orgKey",
      "unknownColumns",
      "fileName",
      "dryRun"
    ].map((name) => ({ name, in: "query" as const, description: `The import's ${name}` })),
    rawBody: { contentType: "text/csv", description: "The CSV file, streamed" },
    responses: {
      201: { description: "The import job" },
      ...common,
      413: { description: "The file is over the upload limit" },
      415: { description: "The body is not text/csv" }
    }
  })
  registry.add({
    method: "get",
    path: "/v1/imports/{id}",
    operationId: "getImport",
    summary: "Read an import job: state, counters and problems",
    tag: "imports",
    parameters: [{ name: "id", in: "path", description: "The job's id" }],
    responses: {
      200: { description: "The import job" },
      ...common,
      404: { description: "No such job" }
    }
  })
}
