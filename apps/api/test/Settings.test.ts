import { readFileSync } from "node:fs"
import { assert, describe, layer } from "@effect/vitest"
import type { Contact, ImportProfile } from "@xcontacts/domain"
import { Effect } from "effect"
import { serveApi } from "../src/index.ts"
import {
  type Job,
  jobIn,
  newKey,
  request,
  TestStores,
  upload,
  uploadDir,
  withKey
} from "./TestServer.ts"

const template = readFileSync(
  new URL("../../../../shared/fixtures/examples/template.csv", import.meta.url)
)
const problems = "https://xcontacts.dev/problems/"

interface Refusal {
  readonly type: string
  readonly detail: string
}

layer(TestStores, { timeout: 60_000 })("settings given to the API", (it) => {
  describe("import profiles", () => {
    it.effect("refuses a profile with a blank source or division, and saves none", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey([], "blank")
        const created = yield* request(
          port,
          "/v1/import-profiles",
          withKey(key, {
            method: "POST",
            json: { name: "emptyp", settings: { source: "  ", division: "" } }
          })
        )
        assert.strictEqual(created.status, 422)
        const refusal = created.json<Refusal>()
        assert.strictEqual(refusal.type, `${problems}invalid-body`)
        assert.include(refusal.detail, 'a name must not be blank\n  at ["settings"]["source"]')
        assert.include(refusal.detail, 'a name must not be blank\n  at ["settings"]["division"]')
        const listed = yield* request(port, "/v1/import-profiles", withKey(key))
        assert.deepStrictEqual(listed.json<{ data: Array<ImportProfile> }>().data, [])
      }).pipe(Effect.scoped)
    )

    it.effect("checks a profile's settings by the rules of the query parameters", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey([], "rules")
        const settings = {
          maxFileBytes: -1,
          country: "ZZ",
          mapping: { foo: "Not A Column" }
        }
        for (const [method, path, json] of [
          ["POST", "/v1/import-profiles", { name: "negp", settings }],
          ["PUT", "/v1/import-profiles/negp", { settings }]
        ] as const) {
          const answer = yield* request(port, path, withKey(key, { method, json }))
          assert.strictEqual(answer.status, 422, method)
          const { type, detail } = answer.json<Refusal>()
          assert.strictEqual(type, `${problems}invalid-body`, method)
          assert.include(detail, '"ZZ" is not a country (GB) or a calling code (44)')
          assert.include(detail, '"Not A Column" is not a column')
          assert.include(detail, 'at ["settings"]["maxFileBytes"]')
        }
        const nan = yield* request(
          port,
          "/v1/import-profiles/nan",
          withKey(key, { method: "PUT", json: { settings: { maxFileBytes: "NaN" } } })
        )
        assert.strictEqual(nan.status, 422)
        for (const name of ["", "   ", "a/b", "x".repeat(101)]) {
          const answer = yield* request(
            port,
            "/v1/import-profiles",
            withKey(key, { method: "POST", json: { name, settings: {} } })
          )
          assert.strictEqual(answer.status, 422, JSON.stringify(name))
        }
        const badPath = yield* request(
          port,
          `/v1/import-profiles/${encodeURIComponent("a/b")}`,
          withKey(key, { method: "PUT", json: { settings: {} } })
        )
        assert.strictEqual(badPath.status, 422)
        assert.strictEqual(badPath.json<Refusal>().type, `${problems}invalid-parameter`)
        const listed = yield* request(port, "/v1/import-profiles", withKey(key))
        assert.deepStrictEqual(listed.json<{ data: Array<ImportProfile> }>().data, [])
      }).pipe(Effect.scoped)
    )

    it.effect("trims a profile's name, source and division, and imports with them", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey([], "trimmed")
        const created = yield* request(
          port,
          "/v1/import-profiles",
          withKey(key, {
            method: "POST",
            json: {
              name: " weekly crm ",
              settings: { source: " crm ", division: " emea ", country: "gb", maxFileBytes: 4096 }
            }
          })
        )
        assert.strictEqual(created.status, 201)
        const profile = created.json<ImportProfile>()
        assert.strictEqual(profile.name, "weekly crm")
        // A name is looked up as it is saved: trimmed.
        const read = yield* request(
          port,
          `/v1/import-profiles/${encodeURIComponent(" weekly crm ")}`,
          withKey(key)
        )
        assert.strictEqual(read.status, 200)
        assert.deepStrictEqual(profile.settings, {
          source: "crm",
          division: "emea",
          country: "GB",
          maxFileBytes: 4096
        })

        const started = yield* upload(
          port,
          key,
          `?profile=${encodeURIComponent(" weekly crm ")}&source=%20erp%20&autoContinue=true`,
          template
        )
        assert.strictEqual(started.status, 202)
        const done = yield* jobIn(port, key, started.json<Job>().id, ["completed", "failed"])
        assert.strictEqual(done.state, "completed")
        const contacts = yield* request(port, "/v1/contacts?division=emea", withKey(key))
        const data = contacts.json<{ data: Array<Contact> }>().data
        assert.strictEqual(data.length, 2)
        assert.deepStrictEqual(
          [...new Set(data.flatMap((c) => c.externalIds.map((id) => id.source)))],
          ["erp"]
        )
        const sources = yield* request(port, "/v1/external-sources", withKey(key))
        const names = sources.json<{ data: Array<{ name: string }> }>().data.map((s) => s.name)
        assert.include(names, "erp")
        assert.deepStrictEqual(
          names.filter((name) => name.trim() !== name || name === ""),
          []
        )
      }).pipe(Effect.scoped)
    )
  })

  describe("an import's query parameters", () => {
    it.effect("refuses a blank source or division with 422 invalid-setting, starting no job", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey([], "query")
        const jobsBefore = (yield* request(port, "/v1/imports", withKey(key))).json<{
          data: Array<Job>
        }>().data
        for (const query of ["?source=%20", "?division=", "?division=%20%20&source=crm"]) {
          const answer = yield* upload(port, key, query, template)
          assert.strictEqual(answer.status, 422, query)
          assert.strictEqual(answer.json<Refusal>().type, `${problems}invalid-setting`, query)
          assert.strictEqual(answer.json<Refusal>().detail, "a name must not be blank", query)
        }
        const jobs = yield* request(port, "/v1/imports", withKey(key))
        assert.deepStrictEqual(jobs.json<{ data: Array<Job> }>().data, jobsBefore)
      }).pipe(Effect.scoped)
    )
  })

  describe("records created by hand", () => {
    it.effect("refuses a blank division or source and trims a given one", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey([], "records")
        for (const [path, json] of [
          ["/v1/contacts", { division: " " }],
          ["/v1/contacts", { externalIds: [{ source: "", externalId: "K-1" }] }],
          ["/v1/organizations", { name: "Harbour", division: "" }]
        ] as const) {
          const answer = yield* request(port, path, withKey(key, { method: "POST", json }))
          assert.strictEqual(answer.status, 422, JSON.stringify(json))
          assert.strictEqual(answer.json<Refusal>().type, `${problems}invalid-body`)
        }
        const contact = yield* request(
          port,
          "/v1/contacts",
          withKey(key, {
            method: "POST",
            json: { division: " emea ", externalIds: [{ source: " crm ", externalId: "K-1" }] }
          })
        )
        assert.strictEqual(contact.status, 201)
        assert.strictEqual(contact.json<Contact>().division, "emea")
        assert.deepStrictEqual(contact.json<Contact>().externalIds, [
          { source: "crm", externalId: "K-1" }
        ])
      }).pipe(Effect.scoped)
    )
  })
})
