import { readFileSync } from "node:fs"
import { assert, describe, layer } from "@effect/vitest"
import { ApiKeyStore } from "@xcontacts/domain"
import { DateTime, Effect } from "effect"
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

const serve = (maxBodyBytes?: number) =>
  serveApi(0, { uploadDir, ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }) })

layer(TestStores, { timeout: 60_000 })("the HTTP API, secured", (it) => {
  describe("a template upload read back", () => {
    it.effect("imports the template and serves its contacts through the contacts routes", () =>
      Effect.gen(function* () {
        const port = yield* serve()
        const key = yield* newKey()
        const created = yield* upload(
          port,
          key,
          "?source=tpl&division=tpl&autoContinue=true",
          template
        )
        assert.strictEqual(created.status, 202)
        const done = yield* jobIn(port, key, created.json<Job>().id, ["completed", "failed"])
        assert.strictEqual(done.counters.rowsImported, 3)

        const listed = yield* request(port, "/v1/contacts?division=tpl", withKey(key))
        assert.strictEqual(listed.status, 200)
        const { data, nextCursor } = listed.json()
        assert.strictEqual(nextCursor, null)
        assert.deepStrictEqual(
          data.map((contact) => contact.externalIds.map((id) => id.externalId)).sort(),
          [["CRM-0001"], ["CRM-0002"]]
        )
        const weber = data.find((contact) => contact.lastName === "Weber")!
        assert.strictEqual(weber.workPhone?.e164, "+4930901820")

        const byPhone = yield* request(
          port,
          `/v1/contacts?phone=${encodeURIComponent("030 901820")}&country=DE`,
          withKey(key)
        )
        assert.deepStrictEqual(
          byPhone.json().data.map((contact) => contact.id),
          [weber.id]
        )
        const badCountry = yield* request(
          port,
          `/v1/contacts?phone=${encodeURIComponent("030 901820")}&country=ZZ`,
          withKey(key)
        )
        assert.strictEqual(badCountry.status, 422)
        assert.strictEqual(
          badCountry.json().type,
          "https://xcontacts.dev/problems/invalid-phone-country"
        )
        const bySource = yield* request(
          port,
          "/v1/contacts?externalId=%20CRM-0002%20&source=tpl",
          withKey(key)
        )
        assert.deepStrictEqual(
          bySource.json().data.map((contact) => contact.id),
          [weber.id]
        )
        const wrongSource = yield* request(
          port,
          "/v1/contacts?externalId=CRM-0002&source=other",
          withKey(key)
        )
        assert.deepStrictEqual(wrongSource.json().data, [])

        const one = yield* request(port, `/v1/contacts/${weber.id}`, withKey(key))
        assert.deepStrictEqual(one.json(), weber)
        const organization = yield* request(
          port,
          `/v1/organizations/${weber.organizationId}/contacts`,
          withKey(key)
        )
        // Both template contacts belong to Northwind Traders (ACC-100).
        assert.deepStrictEqual(
          organization
            .json()
            .data.map((contact) => contact.lastName)
            .sort(),
          ["Quist", "Weber"]
        )
      }).pipe(Effect.scoped)
    )
  })

  describe("API keys", () => {
    it.effect("answers 401 without a key, with an unknown one and with a revoked one", () =>
      Effect.gen(function* () {
        const port = yield* serve()
        const none = yield* request(port, "/v1/contacts")
        assert.strictEqual(none.status, 401)
        assert.strictEqual(none.type, "application/problem+json")
        assert.strictEqual(none.json().type, "https://xcontacts.dev/problems/unauthorized")
        const unknown = yield* request(port, "/v1/contacts", withKey("xck_not-a-key"))
        assert.strictEqual(unknown.status, 401)

        const key = yield* newKey([], "to revoke")
        assert.strictEqual((yield* request(port, "/v1/contacts", withKey(key))).status, 200)
        const keys = yield* ApiKeyStore
        const stored = (yield* keys.list).find((entry) => entry.name === "to revoke")!
        yield* keys.revoke(stored.id, DateTime.formatIso(yield* DateTime.now))
        assert.strictEqual((yield* request(port, "/v1/contacts", withKey(key))).status, 401)

        // Through the API, by a key that reaches every division: on the embedded store the
        // running server holds the data folder, so the CLI cannot revoke meanwhile.
        const admin = yield* newKey([], "admin")
        const limited = yield* newKey(["east"], "limited")
        const leaked = yield* newKey([], "leaked")
        const listed = (yield* request(port, "/v1/keys", withKey(admin))).json<{
          data: Array<{ id: string; name: string; divisions: Array<string> }>
        }>()
        const leakedId = listed.data.find((entry) => entry.name === "leaked")!.id
        assert.deepStrictEqual(listed.data.find((entry) => entry.name === "limited")!.divisions, [
          "east"
        ])
        assert.notInclude(JSON.stringify(listed), leaked)
        const byLimited = yield* request(
          port,
          `/v1/keys/${leakedId}`,
          withKey(limited, { method: "DELETE" })
        )
        assert.strictEqual(byLimited.status, 403)
        assert.strictEqual(byLimited.json().type, "https://xcontacts.dev/problems/key-forbidden")
        assert.strictEqual((yield* request(port, "/v1/keys", withKey(limited))).status, 403)
        assert.strictEqual((yield* request(port, "/v1/contacts", withKey(leaked))).status, 200)
        const revoked = yield* request(
          port,
          `/v1/keys/${leakedId}`,
          withKey(admin, { method: "DELETE" })
        )
        assert.strictEqual(revoked.status, 204)
        assert.strictEqual((yield* request(port, "/v1/contacts", withKey(leaked))).status, 401)
        const missing = yield* request(port, "/v1/keys/nope", withKey(admin, { method: "DELETE" }))
        assert.strictEqual(missing.status, 404)

        assert.strictEqual((yield* request(port, "/healthz")).status, 200)
        assert.strictEqual((yield* request(port, "/openapi.json")).status, 200)
        assert.strictEqual((yield* request(port, "/docs")).status, 200)
      }).pipe(Effect.scoped)
    )

    it.effect("keeps a key limited to a division inside it: 403 outside, filtered lists", () =>
      Effect.gen(function* () {
        const port = yield* serve()
        const admin = yield* newKey()
        const east = yield* newKey(["east"])
        const post = (secret: string, division: string, lastName: string) =>
          request(
            port,
            "/v1/contacts",
            withKey(secret, { method: "POST", json: { division, lastName } })
          )
        const inEast = (yield* post(admin, "east", "Easton")).json()
        const inWest = (yield* post(admin, "west", "Weston")).json()

        assert.strictEqual((yield* post(east, "west", "Nope")).status, 403)
        assert.strictEqual((yield* post(east, "east", "Yes")).status, 201)
        const read = yield* request(port, `/v1/contacts/${inWest.id}`, withKey(east))
        assert.strictEqual(read.status, 403)
        assert.strictEqual(read.json().type, "https://xcontacts.dev/problems/division-forbidden")
        const patch = yield* request(
          port,
          `/v1/contacts/${inWest.id}`,
          withKey(east, { method: "PATCH", json: { lastName: "Hacked" } })
        )
        assert.strictEqual(patch.status, 403)
        const remove = yield* request(
          port,
          `/v1/contacts/${inWest.id}`,
          withKey(east, { method: "DELETE" })
        )
        assert.strictEqual(remove.status, 403)
        assert.strictEqual(
          (yield* request(port, `/v1/contacts/${inEast.id}`, withKey(east))).status,
          200
        )

        const listed = (yield* request(port, "/v1/contacts?limit=1000", withKey(east))).json()
        assert.deepStrictEqual(
          [...new Set(listed.data.map((contact) => contact.division))],
          ["east"]
        )
        const asked = yield* request(port, "/v1/contacts?division=west", withKey(east))
        assert.strictEqual(asked.status, 403)

        const refused = yield* upload(port, east, "?division=west", template)
        assert.strictEqual(refused.status, 403)
        const saved = yield* request(
          port,
          "/v1/import-profiles",
          withKey(admin, {
            method: "POST",
            json: { name: "west-weekly", settings: { division: "west" } }
          })
        )
        assert.strictEqual(saved.status, 201)
        // The west profile is out of the east key's reach: not listed, read, replaced or deleted.
        const profile = "/v1/import-profiles/west-weekly"
        const profiles = (yield* request(port, "/v1/import-profiles", withKey(east))).json<{
          data: Array<{ name: string }>
        }>()
        assert.notInclude(
          profiles.data.map((entry) => entry.name),
          "west-weekly"
        )
        assert.strictEqual((yield* request(port, profile, withKey(east))).status, 403)
        const replaced = yield* request(
          port,
          profile,
          withKey(east, { method: "PUT", json: { settings: { source: "east-crm" } } })
        )
        assert.strictEqual(replaced.status, 403)
        const deleted = yield* request(port, profile, withKey(east, { method: "DELETE" }))
        assert.strictEqual(deleted.status, 403)
        assert.strictEqual((yield* request(port, profile, withKey(admin))).status, 200)
        // A shared profile (no division) is read and used by the east key, but only a key of
        // every division changes it: it is every division's.
        const shared = "/v1/import-profiles/shared-weekly"
        const sharedSaved = yield* request(
          port,
          shared,
          withKey(admin, { method: "PUT", json: { settings: { source: "crm" } } })
        )
        assert.strictEqual(sharedSaved.status, 200)
        assert.strictEqual((yield* request(port, shared, withKey(east))).status, 200)
        for (const [method, path, json] of [
          ["DELETE", shared, undefined],
          ["PUT", shared, { settings: { source: "east-crm" } }],
          ["PUT", shared, { settings: { division: "east" } }],
          ["PUT", "/v1/import-profiles/east-shared", { settings: {} }],
          ["POST", "/v1/import-profiles", { name: "east-shared", settings: {} }]
        ] as const) {
          const changed = yield* request(port, path, withKey(east, { method, json }))
          assert.strictEqual(changed.status, 403, `${method} ${path}`)
        }
        const sharedAfter = (yield* request(port, shared, withKey(admin))).json<{
          settings: { source?: string; division?: string }
        }>()
        assert.deepStrictEqual(sharedAfter.settings, { source: "crm" })
        const eastOwn = yield* request(
          port,
          "/v1/import-profiles/east-weekly",
          withKey(east, { method: "PUT", json: { settings: { division: "east" } } })
        )
        assert.strictEqual(eastOwn.status, 200)
        const byProfile = yield* upload(port, east, "?profile=west-weekly", template)
        assert.strictEqual(byProfile.status, 403)
        assert.strictEqual(
          byProfile.json().type,
          "https://xcontacts.dev/problems/division-forbidden"
        )
        // Naming the east division does not open the west profile: its settings would show in
        // the job's.
        const overridden = yield* upload(port, east, "?profile=west-weekly&division=east", template)
        assert.strictEqual(overridden.status, 403)
        assert.strictEqual(overridden.json<{ detail: string }>().detail, 'division "west"')
        const eastJob = (yield* upload(port, east, "?division=east", template)).json<Job>()
        yield* jobIn(port, east, eastJob.id, ["validated"])

        const westJob = (yield* upload(port, admin, "?profile=west-weekly", template)).json<Job>()
        const hidden = yield* request(port, `/v1/imports/${westJob.id}`, withKey(east))
        assert.strictEqual(hidden.status, 403)
        const cancel = yield* request(
          port,
          `/v1/imports/${westJob.id}/cancel`,
          withKey(east, { method: "POST" })
        )
        assert.strictEqual(cancel.status, 403)
        const jobDeleted = yield* request(
          port,
          `/v1/imports/${westJob.id}`,
          withKey(east, { method: "DELETE" })
        )
        assert.strictEqual(jobDeleted.status, 403)
        assert.strictEqual(
          (yield* request(port, `/v1/imports/${westJob.id}`, withKey(admin))).status,
          200
        )
        const jobs = (yield* request(port, "/v1/imports", withKey(east))).json<{
          data: Array<Job>
        }>()
        assert.deepStrictEqual(
          jobs.data.map((job) => job.id),
          [eastJob.id]
        )
        const unchanged = yield* request(port, `/v1/contacts/${inWest.id}`, withKey(admin))
        assert.strictEqual(unchanged.json().lastName, "Weston")
      }).pipe(Effect.scoped)
    )
  })

  describe("limits and media types", () => {
    it.effect("answers 413 past the body limit, declared or streamed, and 415 for JSON", () =>
      Effect.gen(function* () {
        const port = yield* serve(1024)
        const key = yield* newKey()
        const big = `${"External ID,Last Name\n"}${"X-1,Someone\n".repeat(200)}`
        const declared = yield* request(
          port,
          "/v1/imports",
          withKey(key, { method: "POST", headers: { "content-type": "text/csv" }, body: big })
        )
        assert.strictEqual(declared.status, 413)
        assert.strictEqual(declared.type, "application/problem+json")

        const chunks = [big.slice(0, 800), big.slice(800)]
        const stream = new ReadableStream({
          pull(controller) {
            const next = chunks.shift()
            if (next === undefined) controller.close()
            else controller.enqueue(new TextEncoder().encode(next))
          }
        })
        const streamed = yield* request(
          port,
          "/v1/imports",
          withKey(key, {
            method: "POST",
            headers: { "content-type": "text/csv" },
            body: stream,
            duplex: "half"
          } as RequestInit)
        )
        assert.strictEqual(streamed.status, 413)
        assert.strictEqual(streamed.json().type, "https://xcontacts.dev/problems/payload-too-large")

        const json = yield* request(
          port,
          "/v1/contacts",
          withKey(key, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" })
        )
        assert.strictEqual(json.status, 415)

        // A multipart form carries exactly one file: none or two is refused, never one chosen.
        const small = yield* serve()
        for (const [count, type] of [
          [0, "no-file"],
          [2, "several-files"]
        ] as const) {
          const form = new FormData()
          for (let index = 0; index < count; index++) {
            form.append("file", new File([template], `part-${index}.csv`, { type: "text/csv" }))
          }
          form.append("note", "x")
          if (count === 2) {
            // A file part under another name counts as well.
            form.delete("file")
            form.append("file", new File([template], "one.csv", { type: "text/csv" }))
            form.append("attachment", new File([template], "two.csv", { type: "text/csv" }))
          }
          const answer = yield* request(
            small,
            "/v1/imports",
            withKey(key, { method: "POST", body: form })
          )
          assert.strictEqual(answer.status, 422, `${count} files`)
          assert.strictEqual(answer.json().type, `https://xcontacts.dev/problems/${type}`)
        }
        // Settings come from the query only: a form field is refused, not dropped.
        const withField = new FormData()
        withField.append("file", new File([template], "one.csv", { type: "text/csv" }))
        withField.append("source", "evil")
        const fielded = yield* request(
          small,
          "/v1/imports",
          withKey(key, { method: "POST", body: withField })
        )
        assert.strictEqual(fielded.status, 422)
        assert.strictEqual(fielded.json().type, "https://xcontacts.dev/problems/invalid-parameter")
        assert.include(fielded.json<{ detail: string }>().detail, '"source"')
        const invalid = yield* request(
          port,
          "/v1/contacts",
          withKey(key, { method: "POST", json: { lastName: 42 } })
        )
        assert.strictEqual(invalid.status, 422)
        assert.strictEqual(invalid.json().type, "https://xcontacts.dev/problems/invalid-body")
      }).pipe(Effect.scoped)
    )

    it.effect("echoes the client's request id and makes one when it is absent", () =>
      Effect.gen(function* () {
        const port = yield* serve()
        const given = yield* request(port, "/healthz", { headers: { "x-request-id": "abc-123" } })
        assert.strictEqual(given.headers.get("x-request-id"), "abc-123")
        const made = yield* request(port, "/v1/contacts")
        const id = made.headers.get("x-request-id")
        assert.match(id ?? "", /^[0-9a-f-]{36}$/u)
        assert.strictEqual(made.json().requestId, id)
      }).pipe(Effect.scoped)
    )

    it.effect("reads a text/csv body in the charset its Content-Type names", () =>
      Effect.gen(function* () {
        const port = yield* serve()
        const key = yield* newKey([], "charset")
        // "José Müller" in Windows-1252: é is 0xE9 and ü 0xFC, neither valid UTF-8.
        const bytes = new Uint8Array([
          ...new TextEncoder().encode("External ID,First Name,Last Name\nCS-1,Jos"),
          0xe9,
          ...new TextEncoder().encode(",M"),
          0xfc,
          ...new TextEncoder().encode("ller\n")
        ])
        const send = (type: string, query = "") =>
          request(port, `/v1/imports?division=charset&autoContinue=true${query}`, {
            method: "POST",
            headers: { ...withKey(key).headers, "content-type": type },
            body: bytes
          })
        const plain = (yield* send("text/csv")).json<Job>()
        const failed = yield* jobIn(port, key, plain.id, ["failed"])
        const problems = (yield* request(port, `/v1/imports/${plain.id}`, withKey(key))).json<{
          problems: Array<{ code: string; message: string }>
        }>().problems
        assert.strictEqual(failed.state, "failed")
        assert.strictEqual(problems[0]?.code, "ENCODING_INVALID")
        assert.include(problems[0]?.message, "(API: encoding=windows-1252)")

        const declared = (yield* send("text/csv; charset=Windows-1252")).json<Job>()
        assert.strictEqual((yield* jobIn(port, key, declared.id, ["completed"])).state, "completed")
        const [contact] = (yield* request(
          port,
          "/v1/contacts?externalId=CS-1&division=charset",
          withKey(key)
        )).json().data
        assert.strictEqual(`${contact?.firstName} ${contact?.lastName}`, "José Müller")

        // A form's file part names its charset the same way.
        const form = new FormData()
        form.append(
          "file",
          new File([bytes], "w.csv", { type: "text/csv; charset=windows-1252" }),
          "w.csv"
        )
        const part = yield* request(
          port,
          "/v1/imports?division=charset&autoContinue=true",
          withKey(key, { method: "POST", body: form })
        )
        assert.strictEqual(part.status, 202)
        assert.strictEqual(
          (yield* jobIn(port, key, part.json<Job>().id, ["completed", "failed"])).state,
          "completed"
        )
        // The query names the encoding when both do; a charset the import cannot read is 415.
        const overridden = (yield* send(
          "text/csv; charset=windows-1252",
          "&encoding=utf-8"
        )).json<Job>()
        assert.strictEqual((yield* jobIn(port, key, overridden.id, ["failed"])).state, "failed")
        const unknown = yield* send("text/csv; charset=koi8-r")
        assert.strictEqual(unknown.status, 415)
        assert.include(unknown.json<{ detail: string }>().detail, "charset koi8-r")
        const named = (yield* send(
          "text/csv; charset=koi8-r",
          "&encoding=windows-1252"
        )).json<Job>()
        assert.strictEqual((yield* jobIn(port, key, named.id, ["completed"])).state, "completed")
      }).pipe(Effect.scoped)
    )

    it.effect("answers 422 for a bad limit, country or mapping instead of guessing", () =>
      Effect.gen(function* () {
        const port = yield* serve()
        const key = yield* newKey([], "parameters")
        for (const limit of ["abc", "0", "-1", "1.5", "100000"]) {
          const listed = yield* request(port, `/v1/contacts?limit=${limit}`, withKey(key))
          assert.strictEqual(listed.status, 422, `limit=${limit}`)
          assert.strictEqual(listed.json().type, "https://xcontacts.dev/problems/invalid-parameter")
        }
        assert.strictEqual((yield* request(port, "/v1/contacts?limit=5", withKey(key))).status, 200)
        const csv = { "content-type": "text/csv" }
        for (const query of ["country=XX", "map=x%3DNot%20A%20Field"]) {
          const upload = yield* request(port, `/v1/imports?${query}`, {
            method: "POST",
            headers: { ...withKey(key).headers, ...csv },
            body: template
          })
          assert.strictEqual(upload.status, 422, query)
        }
        // A yes/no parameter is true or false: TRUE, 1 or yes are refused, never read as false.
        for (const value of ["TRUE", "1", "yes"]) {
          const upload = yield* request(port, `/v1/imports?autoContinue=${value}`, {
            method: "POST",
            headers: { ...withKey(key).headers, ...csv },
            body: template
          })
          assert.strictEqual(upload.status, 422, value)
          assert.strictEqual(upload.json().title, "autoContinue must be true or false")
          const report = yield* request(
            port,
            `/v1/imports/job_x/report?failedOnly=${value}`,
            withKey(key)
          )
          assert.strictEqual(report.status, 422, value)
          assert.strictEqual(report.json().type, "https://xcontacts.dev/problems/invalid-parameter")
        }
        // A misspelt or unknown parameter, or one read once given twice, is refused, not dropped.
        const refusals = [
          ["/v1/imports?autocontinue=true&Source=crm", "POST", '"autocontinue", "Source"'],
          ["/v1/imports?autoContinue=true&autoContinue=false", "POST", '"autoContinue"'],
          ["/v1/contacts?limit=5&limt=6", "GET", '"limt"'],
          ["/v1/imports/job_x/report?failedOnly=true&failedOnly=false", "GET", '"failedOnly"']
        ] as const
        for (const [path, method, named] of refusals) {
          const answer = yield* request(port, path, {
            method,
            headers: { ...withKey(key).headers, ...csv },
            ...(method === "POST" ? { body: template } : {})
          })
          assert.strictEqual(answer.status, 422, path)
          assert.strictEqual(answer.json().type, "https://xcontacts.dev/problems/invalid-parameter")
          assert.isTrue(answer.json<{ detail: string }>().detail.startsWith(named), path)
        }
        const twoMaps = `map=${encodeURIComponent("A=First Name")}&map=${encodeURIComponent("B=Last Name")}`
        const mapped = yield* request(port, `/v1/imports?${twoMaps}&fileName=t.csv`, {
          method: "POST",
          headers: { ...withKey(key).headers, ...csv },
          body: template
        })
        assert.strictEqual(mapped.status, 202)
        const mappedJob = mapped.json<{ settings: { mapping: Record<string, string> } }>()
        assert.deepStrictEqual(mappedJob.settings.mapping, {
          A: "First Name",
          B: "Last Name"
        })
      }).pipe(Effect.scoped)
    )
  })
})
