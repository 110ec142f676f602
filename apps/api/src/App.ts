import { createReadStream, createWriteStream, mkdirSync } from "node:fs"
import { join } from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import {
  ContactStore,
  defaultImportSettings,
  ExternalSourceStore,
  type IdGenerator,
  type ImportJobId,
  ImportJobStore,
  type ImportSettings,
  type ImportStore,
  importFile,
  MatchCriterion,
  OrganizationStore
} from "@xcontacts/domain"
import { type Effect, Exit, Option } from "effect"
import { Hono } from "hono"
import { problem } from "./Problems.ts"

/** The services the routes run on. */
export type ApiServices =
  | ContactStore
  | OrganizationStore
  | ImportJobStore
  | ImportStore
  | ExternalSourceStore
  | IdGenerator

/** Runs an effect on the server's services. */
export type Runner = <A, E>(effect: Effect.Effect<A, E, ApiServices>) => Promise<Exit.Exit<A, E>>

export interface AppOptions {
  /** Folder where uploaded files are kept while their job needs them. */
  readonly uploadDir: string
}

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

/** The HTTP API as a Hono app; every route runs its work through `run`. */
export const makeApp = (run: Runner, options: AppOptions) => {
  const app = new Hono()
  mkdirSync(options.uploadDir, { recursive: true })

  app.get("/healthz", (context) => context.json({ status: "ok" }))

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

  app.get("/v1/contacts", async (context) => {
    const limit = Math.min(Math.max(Number(context.req.query("limit") ?? 100) || 100, 1), 1000)
    const after = context.req.query("cursor")
    const email = context.req.query("email")
    const externalId = context.req.query("externalId")
    const exit = await run(
      ContactStore.use((contacts) =>
        contacts.list({
          limit,
          ...(after === undefined ? {} : { after }),
          ...(email === undefined ? {} : { email }),
          ...(externalId === undefined ? {} : { externalId })
        })
      )
    )
    if (Exit.isFailure(exit)) return problem(context, 500, "store-unavailable", "The store failed")
    const data = exit.value
    const nextCursor = data.length === limit ? data[data.length - 1]!.id : null
    return context.json({ data, nextCursor })
  })

  app.get("/v1/external-sources", async (context) => {
    const exit = await run(ExternalSourceStore.use((store) => store.sources()))
    if (Exit.isFailure(exit)) return problem(context, 500, "store-unavailable", "The store failed")
    return context.json({ data: exit.value })
  })

  // Only what spec §6 needs before the full organizations API: a hand-made organization gets an
  // External ID, and files can then add members to it.
  app.post("/v1/organizations/:id/external-ids", async (context) => {
    const body = (await context.req.json().catch(() => null)) as {
      source?: unknown
      externalId?: unknown
    } | null
    const externalId = typeof body?.externalId === "string" ? body.externalId.trim() : ""
    if (externalId.length === 0 || externalId.length > 255) {
      return problem(context, 422, "external-id-invalid", "externalId needs 1 to 255 characters")
    }
    const source = typeof body?.source === "string" ? body.source : defaultImportSettings.source
    const exit = await run(
      OrganizationStore.use((store) =>
        store.assignExternalId({ organizationId: context.req.param("id"), source, externalId })
      )
    )
    if (Exit.isSuccess(exit)) return context.json(exit.value, 201)
    const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")?.error
    if (failure?._tag === "RecordNotFound") {
      return problem(context, 404, "not-found", "No such organization", failure.message)
    }
    if (failure?._tag === "ExternalIdTaken") {
      return problem(context, 409, "external-id-taken", "External ID taken", failure.message)
    }
    return problem(context, 500, "store-unavailable", "The store failed")
  })

  return app
}
