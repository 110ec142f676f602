import type { MiddlewareHandler } from "hono"
import { problem } from "../Problems.ts"

export interface BodyLimitOptions {
  /** The largest request body accepted, in bytes. */
  readonly maxBytes: number
}

const tooLarge = (maxBytes: number) => `The body is over the limit of ${maxBytes} bytes`

/**
 * Refuses request bodies over `maxBytes` with 413. A declared `content-length` is checked up
 * front; a streamed body is counted as the route reads it, without buffering, and fails the
 * read once past the limit, so that a streaming upload stops there.
 */
export const bodyLimit = (options: BodyLimitOptions): MiddlewareHandler => {
  const { maxBytes } = options
  return async (context, next) => {
    const raw = context.req.raw
    if (raw.body === null) return next()
    const declared = raw.headers.get("content-length")
    if (declared !== null && !raw.headers.has("transfer-encoding")) {
      if (Number(declared) > maxBytes) {
        return problem(context, 413, "payload-too-large", "Payload too large", tooLarge(maxBytes))
      }
      return next()
    }
    let size = 0
    let exceeded = false
    const counted = raw.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength
          if (size > maxBytes) {
            exceeded = true
            controller.error(new Error(tooLarge(maxBytes)))
            return
          }
          controller.enqueue(chunk)
        }
      })
    )
    context.req.raw = new Request(raw, { body: counted, duplex: "half" } as RequestInit)
    await next()
    if (exceeded) {
      context.res = undefined
      context.res = problem(
        context,
        413,
        "payload-too-large",
        "Payload too large",
        tooLarge(maxBytes)
      )
    }
  }
}
