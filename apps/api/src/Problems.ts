import type { Context } from "hono"
import type { ContentfulStatusCode } from "hono/utils/http-status"

/** Where the stable problem types live: `type` is this base plus a short name. */
export const problemTypeBase = "https://xcontacts.dev/problems/"

/** Answers with an RFC 9457 problem document: a stable type, a title and what went wrong. */
export const problem = (
  context: Context,
  status: ContentfulStatusCode,
  type: string,
  title: string,
  detail?: string
) =>
  context.body(
    JSON.stringify({
      type: `${problemTypeBase}${type}`,
      title,
      status,
      detail,
      requestId: context.var.requestId
    }),
    status,
    { "content-type": "application/problem+json" }
  )
