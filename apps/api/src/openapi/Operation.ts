import { Cause, Effect, Exit, Schema } from "effect"
import type { Context, Hono } from "hono"
import type { ContentfulStatusCode } from "hono/utils/http-status"
import { problem } from "../Problems.ts"
import type { ApiServices, Runner } from "../Runner.ts"
import { honoPath, type OperationSpec, type RouteRegistry } from "./RouteRegistry.ts"

/** A failure a route answers with a problem document of this status and stable type. */
export class ApiProblem extends Schema.TaggedError<ApiProblem>()("ApiProblem", {
  status: Schema.Int,
  type: Schema.String,
  title: Schema.String,
  detail: Schema.optional(Schema.String)
}) {}

/** What a route answers: a status of its operation and the value its schema encodes. */
export interface Reply {
  readonly status: number
  readonly value?: unknown
}

export interface RouteInput<Body> {
  readonly context: Context
  readonly body: Body
  readonly param: (name: string) => string
  readonly query: (name: string) => string | undefined
}

export type Failure = { readonly _tag: string; readonly message?: string; readonly cause?: unknown }

/** The domain's failures, as problem documents. */
const problemOf = (failure: Failure): ApiProblem => {
  switch (failure._tag) {
    case "ApiProblem":
      return failure as ApiProblem
    case "RecordNotFound":
      return new ApiProblem({
        status: 404,
        type: "not-found",
        title: "Not found",
        detail: failure.message
      })
    case "ExternalIdTaken":
      return new ApiProblem({
        status: 409,
        type: "external-id-taken",
        title: "External ID taken",
        detail: failure.message
      })
    case "TooManyExternalIds":
      return new ApiProblem({
        status: 422,
        type: "too-many-external-ids",
        title: "Too many External IDs",
        detail: failure.message
      })
    case "ImportJobNotFound":
      return new ApiProblem({
        status: 404,
        type: "not-found",
        title: "No such import job",
        detail: failure.message
      })
    case "ImportJobConflict":
      return new ApiProblem({
        status: 409,
        type: "job-state-conflict",
        title: "The import job is not in a state that allows this",
        detail: failure.message
      })
    case "JobFileUnavailable":
      return new ApiProblem({
        status: 409,
        type: "job-file-unavailable",
        title: "The import job's file is gone or changed",
        detail: failure.message
      })
    default:
      return new ApiProblem({ status: 503, type: "store-unavailable", title: "The store failed" })
  }
}

const decodeBody = async <S extends Schema.Top>(context: Context, schema: S) => {
  const type = context.req.header("content-type") ?? ""
  if (!/^application\/(?:[\w.+-]*\+)?json\b/iu.test(type)) {
    return new ApiProblem({
      status: 415,
      type: "unsupported-media-type",
      title: "Send the body as application/json"
    })
  }
  let json: unknown
  try {
    json = await context.req.json()
  } catch {
    return new ApiProblem({ status: 400, type: "invalid-json", title: "The body is not JSON" })
  }
  const badText = unstorablePath(json, "")
  if (badText !== null) {
    return new ApiProblem({
      status: 422,
      type: "invalid-body",
      title: "The body does not match the schema",
      detail:
        "A NUL character (\\u0000) or a lone UTF-16 surrogate cannot be stored in text\n" +
        `  at ${badText}`
    })
  }
  const decoded = Schema.decodeUnknownExit(schema as unknown as Schema.Codec<S["Type"], unknown>)(
    json,
    {
      onExcessProperty: "error",
      errors: "all"
    }
  )
  if (Exit.isSuccess(decoded)) return { value: decoded.value as S["Type"] }
  return new ApiProblem({
    status: 422,
    type: "invalid-body",
    title: "The body does not match the schema",
    detail: Cause.pretty(decoded.cause)
  })
}

/** Text the store cannot keep as given: a NUL character, or a lone surrogate (kept as U+FFFD). */
const unstorable = (text: string): boolean => text.includes("\u0000") || !text.isWellFormed()

/** Where a JSON value holds unstorable text in a string or a key. */
const unstorablePath = (value: unknown, at: string): string | null => {
  if (typeof value === "string") return unstorable(value) ? at || "the body" : null
  if (typeof value !== "object" || value === null) return null
  for (const [key, item] of Object.entries(value)) {
    const path = Array.isArray(value) ? `${at}[${key}]` : `${at}[${JSON.stringify(key)}]`
    if (unstorable(key)) return path
    const found = unstorablePath(item, path)
    if (found !== null) return found
  }
  return null
}

/**
 * 422 `invalid-parameter` for a query parameter the operation does not take (a misspelt
 * `autocontinue` would otherwise be dropped without a word, and the job run with the default)
 * or one given twice that is read once; null when the query is as the operation declares it.
 */
export const queryMisfit = (context: Context, spec: OperationSpec): ApiProblem | null => {
  const declared = new Map(
    (spec.parameters ?? [])
      .filter((parameter) => parameter.in === "query")
      .map((parameter) => [parameter.name, parameter.repeatable === true])
  )
  const names = [...new URL(context.req.url).searchParams.keys()]
  const unknown = [...new Set(names.filter((name) => !declared.has(name)))]
  if (unknown.length > 0) {
    const known = [...declared.keys()]
    return new ApiProblem({
      status: 422,
      type: "invalid-parameter",
      title: "The request has a query parameter this operation does not take",
      detail:
        `${unknown.map((name) => JSON.stringify(name)).join(", ")}; ` +
        (known.length === 0 ? "it takes none" : `it takes ${known.join(", ")}`)
    })
  }
  const twice = [
    ...new Set(names.filter((name, index) => names.indexOf(name) !== index && !declared.get(name)))
  ]
  return twice.length === 0
    ? null
    : new ApiProblem({
        status: 422,
        type: "invalid-parameter",
        title: "A query parameter is given more than once",
        detail: `${twice.map((name) => JSON.stringify(name)).join(", ")}: give each once`
      })
}

/**
 * Registers an operation in the registry and serves it on the app: the JSON body is decoded
 * with the operation's schema (415 for another media type, 422 when it does not match), the
 * handler runs on the server's services, and its reply is encoded with the response's schema.
 * Failures become problem documents.
 */
export const route = <S extends Schema.Top = Schema.Never>(
  app: Hono,
  registry: RouteRegistry,
  run: Runner,
  spec: OperationSpec & { readonly body?: S },
  handler: (input: RouteInput<S["Type"]>) => Effect.Effect<Reply, Failure, ApiServices>
) => {
  registry.add(spec)
  app.on(spec.method.toUpperCase(), honoPath(spec.path), async (context) => {
    const misfit = queryMisfit(context, spec)
    if (misfit !== null) return answerProblem(context, misfit)
    let body: unknown
    if (spec.body !== undefined) {
      const decoded = await decodeBody(context, spec.body)
      if (decoded instanceof ApiProblem) return answerProblem(context, decoded)
      body = decoded.value
    }
    const exit = await run(
      handler({
        context,
        body: body as S["Type"],
        param: (name) => context.req.param(name) ?? "",
        query: (name) => context.req.query(name)
      })
    )
    if (Exit.isFailure(exit)) return answerFailure(context, run, exit.cause)
    const { status, value } = exit.value
    const response = spec.responses[status]
    if (value === undefined || response === undefined) return context.body(null, status as 204)
    const encoded =
      response.schema === undefined
        ? value
        : Schema.encodeUnknownSync(response.schema as unknown as Schema.Codec<unknown>)(value)
    return context.json(encoded as object, status as ContentfulStatusCode)
  })
}

const answerProblem = (context: Context, failure: ApiProblem) =>
  problem(
    context,
    failure.status as ContentfulStatusCode,
    failure.type,
    failure.title,
    failure.detail
  )

/**
 * Why the store failed, as its driver says it: the innermost cause's message and code. The
 * layers above it (a query builder's "Failed query: … params: …") hold row data; this does not.
 */
const storeReasonOf = (failure: Failure) => {
  let reason: unknown = failure.cause ?? failure
  while (reason instanceof Error && reason.cause instanceof Error) reason = reason.cause
  const code = (reason as { readonly code?: unknown } | undefined)?.code
  return {
    reason: (reason instanceof Error ? reason.message : String(reason)).slice(0, 300),
    ...(typeof code === "string" ? { code } : {})
  }
}

/**
 * Answers a failed handler: a domain failure with its problem document, a defect with 500
 * after logging it (the cause, never the request's body). A store failure (503) is logged
 * too, with the driver's reason, so that an operator can tell why.
 */
export const answerFailure = async (context: Context, run: Runner, cause: Cause.Cause<Failure>) => {
  const failure = Cause.findErrorOption(cause)
  if (failure._tag === "Some") {
    const answer = problemOf(failure.value)
    if (answer.type === "store-unavailable") {
      await run(
        Effect.logError("store failed").pipe(
          Effect.annotateLogs({
            requestId: context.var.requestId,
            error: failure.value._tag,
            ...storeReasonOf(failure.value)
          })
        )
      )
    }
    return answerProblem(context, answer)
  }
  await run(
    Effect.logError("request failed").pipe(
      Effect.annotateLogs({ requestId: context.var.requestId, cause: Cause.pretty(cause) })
    )
  )
  return problem(context, 500, "internal-error", "Something went wrong on the server")
}
