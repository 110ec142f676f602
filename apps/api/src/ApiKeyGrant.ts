import { keyReachesDivision } from "@xcontacts/domain"
import type { Context } from "hono"

/** What the request's API key may do: its id and the divisions it is limited to (none: all). */
export interface ApiKeyGrant {
  readonly keyId: string
  readonly divisions: ReadonlyArray<string>
}

declare module "hono" {
  interface ContextVariableMap {
    apiKey: ApiKeyGrant
    requestId: string
  }
}

/** The grant of the request's key; a public route has none, which reaches every division. */
export const grantOf = (context: Context): ApiKeyGrant =>
  context.var.apiKey ?? { keyId: "", divisions: [] }

/** Whether the request's key may read or write records of `division` (imports included). */
export const reachesDivision = (context: Context, division: string): boolean =>
  keyReachesDivision(grantOf(context).divisions, division)

/** The divisions a listing must stay within, or undefined when the key reaches them all. */
export const listedDivisions = (context: Context): ReadonlyArray<string> | undefined => {
  const { divisions } = grantOf(context)
  return divisions.length === 0 ? undefined : divisions
}
