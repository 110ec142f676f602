import type { Context } from "hono"
import type { ContentfulStatusCode } from "hono/utils/http-status"

/** Answers with an RFC 9457 problem document: a stable type, a title and what went wrong. */
export const problem = (
  context: Context,
  status: ContentfulStatusCode,
  type: string,
  title: string,
  detail?: string
) =>
  context.body(
    JSON.stringify({ type: `https://xcontacts.dev/problems/${type}`, title, status, detail }),
    status,
    { "content-type": "application/problem+json" }
  )
