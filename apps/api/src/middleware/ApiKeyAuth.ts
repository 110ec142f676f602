import type { ApiKey } from "@xcontacts/domain"
import type { MiddlewareHandler } from "hono"
import { hashApiKey } from "../ApiKeys.ts"
import { problem } from "../Problems.ts"

export interface ApiKeyAuthOptions {
  /** The stored key whose secret has this hash, if any; rejects when the store fails. */
  readonly findKey: (secretHash: string) => Promise<ApiKey | undefined>
  /** Paths that need no key (health, the OpenAPI document, the docs page). */
  readonly isPublic: (path: string) => boolean
}

/**
 * Lets through requests with a valid `Authorization: Bearer` key, and exposes the key's grant
 * (its id and divisions) as `apiKey`; others get 401. Public paths pass without a key.
 */
export const apiKeyAuth = (options: ApiKeyAuthOptions): MiddlewareHandler => {
  return async (context, next) => {
    if (options.isPublic(context.req.path)) return next()
    const header = context.req.header("authorization") ?? ""
    const secret = /^Bearer\s+(\S+)\s*$/iu.exec(header)?.[1]
    if (secret === undefined) {
      context.header("www-authenticate", 'Bearer realm="xcontacts"')
      return problem(context, 401, "unauthorized", "An API key is needed", "Send Bearer KEY")
    }
    const key = await options.findKey(hashApiKey(secret))
    if (key === undefined || key.revokedAt !== null) {
      context.header("www-authenticate", 'Bearer realm="xcontacts", error="invalid_token"')
      return problem(context, 401, "unauthorized", "The API key is unknown or revoked")
    }
    context.set("apiKey", { keyId: key.id, divisions: key.divisions })
    return next()
  }
}
