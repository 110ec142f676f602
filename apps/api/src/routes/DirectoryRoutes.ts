import {
  ContactStore,
  defaultImportSettings,
  ExternalSourceStore,
  OrganizationStore
} from "@xcontacts/domain"
import { Exit } from "effect"
import type { Hono } from "hono"
import { problem } from "../Problems.ts"
import type { Runner } from "../Runner.ts"

/** Contacts, organizations and external sources. */
export const directoryRoutes = (app: Hono, run: Runner) => {
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
}
