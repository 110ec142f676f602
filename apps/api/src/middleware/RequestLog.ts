import type { MiddlewareHandler } from "hono"

/** One finished request, as the access log records it: no query string, body or personal data. */
export interface AccessLogEntry {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly durationMs: number
  readonly requestId: string
}

export interface RequestLogOptions {
  /** Writes one entry; the server sends it to Effect's logger. */
  readonly log: (entry: AccessLogEntry) => void
  /** Makes a request id when the client sent none. */
  readonly newId?: () => string
}

/** A client's id is kept when it is short and plain, so it can be followed across services. */
const usable = (id: string | undefined): id is string =>
  id !== undefined && /^[\w.:-]{1,128}$/u.test(id)

/**
 * Gives every request an id (the client's `x-request-id`, or a new one), echoes it in the
 * response and logs the request once it is answered.
 */
export const requestLog = (options: RequestLogOptions): MiddlewareHandler => {
  const newId = options.newId ?? (() => crypto.randomUUID())
  return async (context, next) => {
    const started = performance.now()
    const given = context.req.header("x-request-id")
    const requestId = usable(given) ? given : newId()
    context.set("requestId", requestId)
    try {
      await next()
    } finally {
      context.res.headers.set("x-request-id", requestId)
      options.log({
        method: context.req.method,
        path: context.req.path,
        status: context.res.status,
        durationMs: Math.round(performance.now() - started),
        requestId
      })
    }
  }
}
