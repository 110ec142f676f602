import { defaultImportSettings } from "@xcontacts/domain"
import type { MiddlewareHandler } from "hono"
import { reachesDivision } from "../ApiKeyGrant.ts"
import { problem } from "../Problems.ts"

export interface ImportDivisionGuardOptions {
  /** The division an import request writes into, from its query (default `unassigned`). */
  readonly divisionOf?: (query: Record<string, string>) => string
}

/**
 * Refuses with 403 an import into a division the request's API key does not reach, before a
 * byte of the file is read.
 */
export const importDivisionGuard = (
  options: ImportDivisionGuardOptions = {}
): MiddlewareHandler => {
  const divisionOf =
    options.divisionOf ?? ((query) => query["division"] ?? defaultImportSettings.division)
  return async (context, next) => {
    const division = divisionOf(context.req.query())
    if (!reachesDivision(context, division)) {
      return problem(
        context,
        403,
        "division-forbidden",
        "The API key does not reach this division",
        `division "${division}"`
      )
    }
    return next()
  }
}
