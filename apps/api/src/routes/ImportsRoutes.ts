import { createReadStream, createWriteStream } from "node:fs"
import { join } from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import {
  defaultImportSettings,
  type ImportJobId,
  ImportJobStore,
  type ImportSettings,
  importFile,
  MatchCriterion
} from "@xcontacts/domain"
import { Exit, Option } from "effect"
import type { Hono } from "hono"
import { problem } from "../Problems.ts"
import type { AppOptions, Runner } from "../Runner.ts"

const oneOf = <T extends string>(
  value: string | undefined,
  allowed: ReadonlyArray<T>,
  fallback: T
): T =>
  value !== undefined && (allowed as ReadonlyArray<string>).includes(value)
    ? (value as T)
    : fallback

/** `match=email,phone` in order; an empty value disables matching; unknown criteria are dropped. */
const matchFrom = (value: string | undefined): ImportSettings["match"] =>
  value === undefined
    ? defaultImportSettings.match
    : value
        .split(",")
        .map((part) => part.trim())
        .filter((part): part is MatchCriterion =>
          (MatchCriterion.literals as ReadonlyArray<string>).includes(part)
        )

const settingsFrom = (query: Record<string, string>): ImportSettings => ({
  ...defaultImportSettings,
  match: matchFrom(query["match"]),
  source: query["source"] ?? defaultImportSettings.source,
  division: query["division"] ?? defaultImportSettings.division,
  country: (query["country"] ?? defaultImportSettings.country).toUpperCase(),
  merge: oneOf(
    query["merge"],
    ["update-first", "merge-all", "reject"],
    defaultImportSettings.merge
  ),
  blank: oneOf(query["blank"], ["ignore", "clear"], defaultImportSettings.blank),
  organizationKey: oneOf(
    query["orgKey"],
    ["column", "name"],
    defaultImportSettings.organizationKey
  ),
  unknownColumns: oneOf(
    query["unknownColumns"],
    ["ignore", "keep"],
    defaultImportSettings.unknownColumns
  )
})

/** `/v1/imports`: upload a file and run its import job; read jobs back. */
export const importsRoutes = (app: Hono, run: Runner, options: AppOptions) => {
  app.post("/v1/imports", async (context) => {
    const type = context.req.header("content-type") ?? ""
    if (!type.startsWith("text/csv")) {
      return problem(context, 415, "unsupported-media-type", "Send the file as text/csv")
    }
    const body = context.req.raw.body
    if (body === null) return problem(context, 422, "empty-body", "The request has no file")
    const path = join(options.uploadDir, `${crypto.randomUUID()}.csv`)
    await pipeline(Readable.fromWeb(body as never), createWriteStream(path))
    const exit = await run(
      importFile({
        file: { name: context.req.query("fileName") ?? null, open: () => createReadStream(path) },
        settings: settingsFrom(context.req.query()),
        dryRun: context.req.query("dryRun") === "true"
      })
    )
    if (Exit.isFailure(exit))
      return problem(context, 500, "store-unavailable", "The import could not run")
    return context.json(exit.value, 201)
  })

  app.get("/v1/imports/:id", async (context) => {
    const exit = await run(
      ImportJobStore.use((jobs) => jobs.get(context.req.param("id") as ImportJobId))
    )
    if (Exit.isFailure(exit)) return problem(context, 500, "store-unavailable", "The store failed")
    if (Option.isNone(exit.value)) return problem(context, 404, "not-found", "No such import job")
    return context.json(exit.value.value)
  })
}
