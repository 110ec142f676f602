import { JsonSchema, type Schema, SchemaRepresentation } from "effect"
import { problemTypeBase } from "../Problems.ts"
import type { OperationSpec, RouteRegistry } from "./RouteRegistry.ts"

export interface OpenApiInfo {
  readonly title: string
  readonly version: string
  readonly description?: string
}

const jsonOf = (schemas: ReadonlyArray<Schema.Top>) => {
  if (schemas.length === 0) return { schemas: [], definitions: {} }
  const [first, ...rest] = schemas.map((schema) => schema.ast)
  // The routes decode bodies with `onExcessProperty: "error"` and encode replies with exactly
  // their schema's members, so no object takes or gives a property its schema does not name.
  const multi = SchemaRepresentation.toJsonSchemaMultiDocument(
    SchemaRepresentation.toRepresentations([first!, ...rest]),
    { onExcessProperty: "error" }
  )
  return JsonSchema.toMultiDocumentOpenApi3_1(multi)
}

const problemSchema = {
  type: "object",
  description: `RFC 9457 problem; \`type\` starts with ${problemTypeBase}`,
  required: ["type", "title", "status"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    requestId: { type: "string" }
  }
}

/**
 * The OpenAPI 3.1 document of every registered operation. Bodies and responses are the JSON
 * Schemas of the very schemas the routes decode and encode with; named schemas (an
 * `identifier` annotation) become shared components.
 */
export const openApiDocument = (registry: RouteRegistry, info: OpenApiInfo) => {
  const schemas: Array<Schema.Top> = []
  const indexOf = (schema: Schema.Top) => {
    const known = schemas.indexOf(schema)
    if (known >= 0) return known
    schemas.push(schema)
    return schemas.length - 1
  }
  const bodyIndex = new Map<OperationSpec, number>()
  const responseIndex = new Map<string, number>()
  for (const operation of registry.operations) {
    if (operation.body !== undefined) bodyIndex.set(operation, indexOf(operation.body))
    for (const [status, response] of Object.entries(operation.responses)) {
      if (response.schema !== undefined) {
        responseIndex.set(`${operation.operationId} ${status}`, indexOf(response.schema))
      }
    }
  }
  const compiled = jsonOf(schemas)

  const paths: Record<string, Record<string, unknown>> = {}
  for (const operation of registry.operations) {
    const responses: Record<string, unknown> = {}
    for (const [status, response] of Object.entries(operation.responses)) {
      const index = responseIndex.get(`${operation.operationId} ${status}`)
      const isProblem = Number(status) >= 400
      const content =
        index !== undefined
          ? { [response.contentType ?? "application/json"]: { schema: compiled.schemas[index] } }
          : isProblem
            ? { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } }
            : response.contentType !== undefined
              ? { [response.contentType]: { schema: { type: "string" } } }
              : undefined
      responses[status] = {
        description: response.description,
        ...(content === undefined ? {} : { content })
      }
    }
    const body = bodyIndex.get(operation)
    const requestBody =
      body !== undefined
        ? { required: true, content: { "application/json": { schema: compiled.schemas[body] } } }
        : operation.rawBody !== undefined
          ? {
              required: true,
              description: operation.rawBody.description,
              content: { [operation.rawBody.contentType]: { schema: { type: "string" } } }
            }
          : undefined
    paths[operation.path] ??= {}
    paths[operation.path]![operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary,
      tags: [operation.tag],
      ...(operation.public === true ? { security: [] } : {}),
      ...(operation.parameters === undefined || operation.parameters.length === 0
        ? {}
        : {
            parameters: operation.parameters.map((parameter) => ({
              name: parameter.name,
              in: parameter.in,
              description: parameter.description,
              required: parameter.in === "path" ? true : (parameter.required ?? false),
              schema: { type: "string" }
            }))
          }),
      ...(requestBody === undefined ? {} : { requestBody }),
      responses
    }
  }

  return {
    openapi: "3.1.0",
    info,
    paths,
    components: {
      schemas: { ...compiled.definitions, Problem: problemSchema },
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "xcontacts keys create" }
      }
    },
    security: [{ apiKey: [] }]
  }
}
