import { readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, layer } from "@effect/vitest"
import { storesLayer } from "@xcontacts/db"
import { IdGenerator } from "@xcontacts/domain"
import { Effect, Layer } from "effect"
import { createApiKey, serveApi } from "../src/index.ts"

const template = readFileSync(
  new URL("../../../../shared/fixtures/examples/template.csv", import.meta.url)
)

const TestStores = Layer.merge(storesLayer({ _tag: "Pglite", dataDir: null }), IdGenerator.layer)

/** Sends a request with a new API key that reaches every division. */
const request = (port: number, path: string, init?: RequestInit) =>
  Effect.gen(function* () {
    const { secret } = yield* createApiKey({ name: null, divisions: [] })
    const headers = { ...(init?.headers as object), authorization: `Bearer ${secret}` }
    return yield* Effect.promise(async () => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers })
      const text = await response.text()
      return { status: response.status, type: response.headers.get("content-type"), text }
    })
  })

layer(TestStores, { timeout: 60_000 })("the HTTP API on a listening server", (it) => {
  describe("imports", () => {
    it.effect("imports an uploaded CSV and serves the job and the contacts", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir: join(tmpdir(), "xcontacts-api-test") })

        const health = yield* request(port, "/healthz")
        assert.strictEqual(health.status, 200)

        const created = yield* request(port, "/v1/imports?source=crm", {
          method: "POST",
          headers: { "content-type": "text/csv" },
          body: template
        })
        assert.strictEqual(created.status, 201)
        const job = JSON.parse(created.text)
        assert.strictEqual(job.state, "completed")
        assert.strictEqual(job.counters.rowsImported, 3)
        assert.deepStrictEqual(job.counters.contacts, {
          created: 2,
          updated: 0,
          merged: 0,
          unchanged: 0
        })
        assert.deepStrictEqual(job.counters.organizations, { created: 2, updated: 0, unchanged: 0 })

        const fetched = yield* request(port, `/v1/imports/${job.id}`)
        assert.strictEqual(fetched.status, 200)
        assert.strictEqual(JSON.parse(fetched.text).id, job.id)

        const contacts = yield* request(port, "/v1/contacts?externalId=CRM-0002")
        const { data } = JSON.parse(contacts.text)
        assert.strictEqual(data.length, 1)
        assert.strictEqual(data[0].lastName, "Weber")
        assert.strictEqual(data[0].workPhone.e164, "+4930901820")
        assert.strictEqual(data[0].cellPhone.e164, "+4915123456789")
      }).pipe(Effect.scoped)
    )

    it.effect("refuses a body that is not text/csv with a problem document", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir: join(tmpdir(), "xcontacts-api-test") })
        const response = yield* request(port, "/v1/imports", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}"
        })
        assert.strictEqual(response.status, 415)
        assert.strictEqual(response.type, "application/problem+json")
        assert.strictEqual(JSON.parse(response.text).status, 415)
      }).pipe(Effect.scoped)
    )

    it.effect("answers 404 for a job that does not exist", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir: join(tmpdir(), "xcontacts-api-test") })
        const response = yield* request(port, "/v1/imports/job_missing")
        assert.strictEqual(response.status, 404)
      }).pipe(Effect.scoped)
    )
  })
})
