import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { assert, describe, layer } from "@effect/vitest"
import { describeFile } from "@xcontacts/db"
import {
  advanceImportJob,
  BEFORE_FIRST_LINE,
  ContactStore,
  createImportJob,
  defaultImportSettings,
  type ImportJobId,
  type ImportJobState,
  ImportJobStore
} from "@xcontacts/domain"
import { parse } from "csv-parse/sync"
import { Effect, Exit, Option } from "effect"
import { serveApi } from "../src/index.ts"
import {
  type Answer,
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

/** 150 rows whose phones are written with spaces (`PHONE_NOT_E164`), and an unknown column. */
const warnings =
  "External ID,Work Phone,notes\n" +
  Array.from(
    { length: 150 },
    (_, index) => `W-${index},+44 20 7946 ${String(index).padStart(4, "0")},x\n`
  ).join("")

/** The file's 151 problems as `line:CODE`: the header's, then one per row on lines 2 to 151. */
const allWarnings = [
  "1:UNKNOWN_COLUMN",
  ...Array.from({ length: 150 }, (_, index) => `${index + 2}:PHONE_NOT_E164`)
]

type ProblemPage = { readonly data: Job["problems"]; readonly nextAfter: number | null }

const codes = (problems: Job["problems"]) =>
  problems.map((problem) => `${problem.line}:${problem.code}`)

const post = (port: number, key: string, path: string) =>
  request(port, path, withKey(key, { method: "POST" }))

const remove = (port: number, key: string, id: string) =>
  request(port, `/v1/imports/${id}`, withKey(key, { method: "DELETE" }))

/**
 * A job of `division` that kept no file, moved along `path` as a process would have moved it,
 * with no process running it. Made after the server has listed the jobs to resume on start (a
 * resumed job without its file would fail), it stays where it was put.
 */
const jobAlong = (division: string, path: ReadonlyArray<ImportJobState>, autoContinue: boolean) =>
  Effect.gen(function* () {
    const job = yield* createImportJob({
      file: { name: "busy.csv", open: () => createReadStream("/nonexistent") },
      settings: { ...defaultImportSettings, division },
      autoContinue
    })
    const jobs = yield* ImportJobStore
    let from: ImportJobState = "created"
    for (const to of path) {
      assert.isTrue(yield* jobs.transition(job.id, { from: [from], to }))
      from = to
    }
    return job.id
  })

layer(TestStores, { timeout: 60_000 })("the HTTP API on a listening server", (it) => {
  describe("imports", () => {
    it.effect("validates an upload in the background, waits, and imports it on continue", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()

        const created = yield* upload(port, key, "?source=crm&division=e2e", template)
        assert.strictEqual(created.status, 202)
        const job = created.json<Job>()
        assert.include(["created", "validating", "validated"], job.state)
        assert.strictEqual(created.headers.get("location"), `/v1/imports/${job.id}`)

        const validated = yield* jobIn(port, key, job.id, ["validated"])
        // The counters are what the import would do, and the job says so.
        assert.isTrue(validated.wouldBe)
        assert.strictEqual(validated.counters.rowsTotal, 3)
        assert.strictEqual(validated.counters.rowsImported, 3)
        assert.deepStrictEqual(validated.counters.contacts, {
          created: 2,
          updated: 0,
          merged: 0,
          unchanged: 0
        })
        assert.deepStrictEqual(validated.counters.organizations, {
          created: 2,
          updated: 0,
          unchanged: 0
        })
        const none = yield* request(port, "/v1/contacts?division=e2e", withKey(key))
        assert.deepStrictEqual(none.json().data, [])

        const continued = yield* post(port, key, `/v1/imports/${job.id}/continue`)
        assert.strictEqual(continued.status, 202)
        const completed = yield* jobIn(port, key, job.id, ["completed", "failed"])
        assert.strictEqual(completed.state, "completed")
        assert.isFalse(completed.wouldBe)
        assert.deepStrictEqual(completed.counters, validated.counters)
        assert.isAbove(completed.progress.bytesRead, 0)

        const report = yield* request(port, `/v1/imports/${job.id}/report`, withKey(key))
        assert.strictEqual(report.status, 200)
        assert.include(report.type ?? "", "text/csv")
        const rows = parse(report.text) as Array<Array<string>>
        const header = rows[0]!
        assert.deepStrictEqual(header.slice(0, 2), ["External ID", "First Name"])
        assert.deepStrictEqual(header.slice(-5), [
          "line",
          "outcome",
          "contact_id",
          "organization_id",
          "messages"
        ])
        const outcome = header.indexOf("outcome")
        assert.deepStrictEqual(
          rows.slice(1).map((row) => [row[0], row[outcome]]),
          [
            ["CRM-0001", "created"],
            ["CRM-0002", "created"],
            ["", "created"]
          ]
        )

        const contacts = yield* request(port, "/v1/contacts?division=e2e", withKey(key))
        assert.deepStrictEqual(
          contacts
            .json()
            .data.map((contact) => contact.lastName)
            .sort(),
          ["Quist", "Weber"]
        )
        const again = yield* post(port, key, `/v1/imports/${job.id}/continue`)
        assert.strictEqual(again.status, 409)
        assert.strictEqual(again.type, "application/problem+json")
        assert.strictEqual(again.json().type, "https://xcontacts.dev/problems/job-state-conflict")

        const listed = yield* request(port, "/v1/imports", withKey(key))
        assert.strictEqual(listed.json<{ data: Array<Job> }>().data[0]!.id, job.id)
      }).pipe(Effect.scoped)
    )

    it.effect("writes nothing for a job cancelled after validation", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        const created = yield* upload(port, key, "?division=cancelled", template)
        const { id } = created.json<Job>()
        yield* jobIn(port, key, id, ["validated"])

        const cancelled = yield* post(port, key, `/v1/imports/${id}/cancel`)
        assert.strictEqual(cancelled.status, 200)
        assert.strictEqual(cancelled.json<Job>().state, "cancelled")
        assert.strictEqual((yield* jobIn(port, key, id, ["cancelled"])).state, "cancelled")
        const contacts = yield* request(port, "/v1/contacts?division=cancelled", withKey(key))
        assert.deepStrictEqual(contacts.json().data, [])
        const organizations = yield* request(
          port,
          "/v1/organizations?division=cancelled",
          withKey(key)
        )
        assert.deepStrictEqual(organizations.json().data, [])
        const continued = yield* post(port, key, `/v1/imports/${id}/continue`)
        assert.strictEqual(continued.status, 409)
      }).pipe(Effect.scoped)
    )

    it.effect("imports right after validation with autoContinue=true", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        const created = yield* upload(port, key, "?division=auto&autoContinue=true", template)
        const done = yield* jobIn(port, key, created.json<Job>().id, ["completed", "failed"])
        assert.strictEqual(done.state, "completed")
        assert.strictEqual(done.counters.rowsImported, 3)
      }).pipe(Effect.scoped)
    )

    it.effect("fails the job, as the CLI does, when map names a header the file lacks", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        const created = yield* upload(
          port,
          key,
          `?division=mapped&autoContinue=true&map=${encodeURIComponent("Mobile No=Cell Phone")}`,
          "External ID,First Name,Mobile Nr\nM-1,Ada,+44 7700 900123\n"
        )
        assert.strictEqual(created.status, 202)
        const done = yield* jobIn(port, key, created.json<Job>().id, ["completed", "failed"])
        assert.strictEqual(done.state, "failed")
        assert.deepStrictEqual(codes(done.problems), [
          "1:MAPPED_HEADER_MISSING",
          "1:UNKNOWN_COLUMN"
        ])
        const contacts = yield* request(port, "/v1/contacts?division=mapped", withKey(key))
        assert.deepStrictEqual(contacts.json().data, [])
      }).pipe(Effect.scoped)
    )

    it.effect("refuses a body that is not text/csv with a problem document", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        const response = yield* request(
          port,
          "/v1/imports",
          withKey(key, { method: "POST", headers: { "content-type": "application/json" } })
        )
        assert.strictEqual(response.status, 415)
        assert.strictEqual(response.type, "application/problem+json")
        assert.strictEqual(response.json().status, 415)
      }).pipe(Effect.scoped)
    )

    it.effect("pages through every problem of a job that carries only its first 100", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        const created = yield* upload(port, key, "?division=problems&autoContinue=true", warnings)
        const job = yield* jobIn(port, key, created.json<Job>().id, ["completed", "failed"])
        assert.strictEqual(job.state, "completed")
        assert.strictEqual(job.problemCount, 151)
        assert.deepStrictEqual(codes(job.problems), allWarnings.slice(0, 100))

        const seen: Array<string> = []
        const pages: Array<number> = []
        let after: number | null = 0
        while (after !== null) {
          const path: string = `/v1/imports/${job.id}/problems?after=${after}&limit=40`
          const answer: Answer = yield* request(port, path, withKey(key))
          assert.strictEqual(answer.status, 200)
          const page: ProblemPage = answer.json<ProblemPage>()
          seen.push(...codes(page.data))
          pages.push(page.data.length)
          after = page.nextAfter
        }
        assert.deepStrictEqual(pages, [40, 40, 40, 31])
        assert.deepStrictEqual(seen, allWarnings)

        const problems = `/v1/imports/${job.id}/problems`
        const bad = yield* request(port, `${problems}?after=-1`, withKey(key))
        assert.strictEqual(bad.status, 422)
        assert.strictEqual(bad.json().type, "https://xcontacts.dev/problems/invalid-parameter")
        assert.strictEqual((yield* request(port, `${problems}?limit=0`, withKey(key))).status, 422)
        const missing = yield* request(port, "/v1/imports/job_x/problems", withKey(key))
        assert.strictEqual(missing.status, 404)
      }).pipe(Effect.scoped)
    )

    it.effect("deletes a finished job with its upload and row records; its contacts stay", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        const query = "?source=crm&division=deleted&autoContinue=true"
        const id = (yield* upload(port, key, query, template)).json<Job>().id as ImportJobId
        assert.strictEqual(
          (yield* jobIn(port, key, id, ["completed", "failed"])).state,
          "completed"
        )
        const jobs = yield* ImportJobStore
        const kept = Option.getOrThrow(yield* jobs.get(id)).file!
        assert.strictEqual(dirname(kept.location), uploadDir)
        assert.isTrue(existsSync(kept.location))
        assert.strictEqual((yield* jobs.rows(id, BEFORE_FIRST_LINE, 10)).length, 3)

        const deleted = yield* remove(port, key, id)
        assert.strictEqual(deleted.status, 204)
        assert.strictEqual(deleted.text, "")
        assert.isFalse(existsSync(kept.location))
        assert.isTrue(Option.isNone(yield* jobs.get(id)))
        assert.deepStrictEqual(yield* jobs.rows(id, BEFORE_FIRST_LINE, 10), [])
        assert.deepStrictEqual(yield* jobs.problems(id, BEFORE_FIRST_LINE, 10), [])
        assert.strictEqual((yield* request(port, `/v1/imports/${id}`, withKey(key))).status, 404)
        const report = yield* request(port, `/v1/imports/${id}/report`, withKey(key))
        assert.strictEqual(report.status, 404)
        const again = yield* remove(port, key, id)
        assert.strictEqual(again.status, 404)
        assert.strictEqual(again.json().type, "https://xcontacts.dev/problems/not-found")

        const contacts = yield* request(port, "/v1/contacts?division=deleted", withKey(key))
        assert.deepStrictEqual(
          contacts
            .json()
            .data.map((contact) => contact.lastName)
            .sort(),
          ["Quist", "Weber"]
        )
        const organizations = yield* request(
          port,
          "/v1/organizations?division=deleted",
          withKey(key)
        )
        assert.strictEqual(organizations.json().data.length, 2)
      }).pipe(Effect.scoped)
    )

    it.effect("deletes a job waiting for continue, and answers 409 while a process runs one", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        // By the time this upload is validated, the server has long listed the jobs to resume.
        const waiting = (yield* upload(port, key, "?division=busy", template)).json<Job>()
        yield* jobIn(port, key, waiting.id, ["validated"])
        assert.strictEqual((yield* remove(port, key, waiting.id)).status, 204)

        const running = [
          { id: yield* jobAlong("busy", [], false), state: "created" },
          { id: yield* jobAlong("busy", ["validating"], false), state: "validating" },
          {
            id: yield* jobAlong("busy", ["validating", "validated", "importing"], true),
            state: "importing"
          },
          { id: yield* jobAlong("busy", ["validating", "validated"], true), state: "validated" }
        ]
        for (const { id, state } of running) {
          const refused = yield* remove(port, key, id)
          assert.strictEqual(refused.status, 409)
          assert.strictEqual(refused.type, "application/problem+json")
          const body = refused.json<{ type: string; detail: string }>()
          assert.strictEqual(body.type, "https://xcontacts.dev/problems/job-state-conflict")
          assert.strictEqual(
            body.detail,
            `Import job "${id}" is ${state}; it cannot be deleted now.` +
              (state === "validated"
                ? ""
                : " If the process that ran it stopped, resume it first (a server resumes its " +
                  "jobs when it starts).")
          )
          const kept = yield* request(port, `/v1/imports/${id}`, withKey(key))
          assert.strictEqual(kept.status, 200)
          assert.strictEqual(kept.json<Job>().state, state)
        }
        // Failed, as a process that stopped them would have left them: now they may go.
        const jobs = yield* ImportJobStore
        for (const { id, state } of running) {
          yield* jobs.transition(id, { from: [state as ImportJobState], to: "failed" })
          assert.strictEqual((yield* remove(port, key, id)).status, 204)
        }
      }).pipe(Effect.scoped)
    )

    it.effect("answers 404 for a job that does not exist, and for its actions", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        assert.strictEqual((yield* request(port, "/v1/imports/job_x", withKey(key))).status, 404)
        assert.strictEqual((yield* post(port, key, "/v1/imports/job_x/cancel")).status, 404)
        assert.strictEqual((yield* remove(port, key, "job_x")).status, 404)
        const report = yield* request(port, "/v1/imports/job_x/report", withKey(key))
        assert.strictEqual(report.status, 404)
      }).pipe(Effect.scoped)
    )
  })
})

const fiveRows =
  "External ID,First Name,Last Name\n" +
  ["R-1,Ada,One", "R-2,Bo,Two", "R-3,Cy,Three", "R-4,Di,Four", "R-5,Ed,Five"].join("\n") +
  "\n"

layer(TestStores, { timeout: 60_000 })("the HTTP API when it starts", (it) => {
  it.effect("resumes an import a stopped server left half done, and ends as one run would", () =>
    Effect.gen(function* () {
      mkdirSync(uploadDir, { recursive: true })
      const path = join(uploadDir, "resume-on-start.csv")
      writeFileSync(path, fiveRows)
      const stored = yield* Effect.promise(() => describeFile(path))
      const job = yield* createImportJob({
        file: { name: "resume-on-start.csv", open: () => createReadStream(path) },
        stored,
        settings: { ...defaultImportSettings, source: "crm", division: "resume" },
        autoContinue: true
      })
      // The process "dies" right after the import pass committed its second chunk.
      const stopped = yield* Effect.exit(
        advanceImportJob(job.id, {
          chunkSize: 1,
          onProgress: (_id, state, progress) =>
            state === "importing" && progress.rowsProcessed >= 2 ? Effect.interrupt : Effect.void
        })
      )
      assert.isTrue(Exit.isFailure(stopped))
      const left = Option.getOrThrow(yield* ImportJobStore.use((jobs) => jobs.get(job.id)))
      assert.strictEqual(left.state, "importing")
      assert.strictEqual(left.checkpointLine, 3)
      const contactsIn = ContactStore.use((store) => store.list({ division: "resume", limit: 10 }))
      assert.strictEqual((yield* contactsIn).length, 2)

      const port = yield* serveApi(0, { uploadDir })
      const key = yield* newKey()
      const done = yield* jobIn(port, key, job.id, ["completed", "failed"])
      assert.strictEqual(done.state, "completed")
      assert.strictEqual(done.counters.rowsImported, 5)
      assert.deepStrictEqual(done.counters.contacts, {
        created: 5,
        updated: 0,
        merged: 0,
        unchanged: 0
      })
      const contacts = yield* contactsIn
      assert.deepStrictEqual(contacts.map((contact) => contact.lastName).toSorted(), [
        "Five",
        "Four",
        "One",
        "Three",
        "Two"
      ])
    }).pipe(Effect.scoped)
  )
})
