import type { Schema } from "effect"

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete"

/** One query or path parameter, always a string on the wire. */
export interface ParameterSpec {
  readonly name: string
  readonly in: "query" | "path"
  readonly description: string
  readonly required?: boolean
  /** A query parameter that may be given more than once; any other may be given once. */
  readonly repeatable?: boolean
}

/** One response of an operation: a JSON schema, or another media type described in words. */
export interface ResponseSpec {
  readonly description: string
  readonly schema?: Schema.Top
  /** Default `application/json` with `schema`; e.g. `text/csv` for a report. */
  readonly contentType?: string
}

/** What the OpenAPI document says about one route. */
export interface OperationSpec {
  readonly method: HttpMethod
  /** OpenAPI form: `/v1/contacts/{id}`. */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly tag: string
  /** Served without an API key. */
  readonly public?: boolean
  readonly parameters?: ReadonlyArray<ParameterSpec>
  /** A JSON request body decoded with this schema. */
  readonly body?: Schema.Top
  /** A body of another media type (`text/csv` uploads), described in words. */
  readonly rawBody?: { readonly contentType: string; readonly description: string }
  readonly responses: Readonly<Record<number, ResponseSpec>>
}

/**
 * The operations of the API, as the routes register them: the OpenAPI document is built from
 * this list, so that a route and its documentation come from the same schemas.
 */
export class RouteRegistry {
  readonly #operations: Array<OperationSpec> = []

  add(operation: OperationSpec): void {
    const clash = this.#operations.find((known) => known.operationId === operation.operationId)
    if (clash !== undefined) throw new Error(`operation ${operation.operationId} is registered`)
    this.#operations.push(operation)
  }

  get operations(): ReadonlyArray<OperationSpec> {
    return this.#operations
  }
}

/** `/v1/contacts/{id}` as Hono writes it: `/v1/contacts/:id`. */
export const honoPath = (path: string): string => path.replace(/\{(\w+)\}/gu, ":$1")
