import { defaultImportSettings } from "@xcontacts/domain"
import type { Context, MiddlewareHandler } from "hono"
import { reachesDivision } from "../ApiKeyGrant.ts"
import { problem } from "../Problems.ts"

export interface ImportDivisionGuardOptions {
  /**
   * The division an import request writes into: its `division` parameter, else its profile's,
   * else `unassigned`. Undefined when it cannot be told yet (an unknown profile, a bad setting):
   * the route then answers for it.
   */
  readonly divisionOf?: (context: Context) => Promise<string | undefined> | string | undefined
}

/**
 * Refuses with 403 an import into a division the request's API key does not reach, before a
 * byte of the file is read.
 */
export const importDivisionGuard = (
  options: ImportDivisionGuardOptions = {}
): MiddlewareHandler => {
  const divisionOf =
    options.divisionOf ??
    ((context: Context) => context.req.query("division") ?? defaultImportSettings.division)
  return async (context, next) => {
    const division = await divisionOf(context)
    if (division !== undefined && !reachesDivision(context, division)) {
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
