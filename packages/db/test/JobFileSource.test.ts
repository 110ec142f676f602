import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, layer } from "@effect/vitest"
import {
  beginContinueImportJob,
  ContactStore,
  continueImportJob,
  defaultImportSettings,
  IdGenerator,
  importFile,
  resumeImportJob,
  retryImportJob
} from "@xcontacts/domain"
import { inMemoryStoresLayer } from "@xcontacts/domain/testing"
import { Effect, Layer } from "effect"
import { describeFile, JobFilesNode, jobFileSource } from "../src/JobFilesNode.ts"

const header = "External ID,First Name\n"
const rows = "F-1,Ada\nF-2,Oli\nF-3,Sam\n"

/** Describes a fresh file as an import starts, lets `change` touch it, then imports it. */
const importChanged = (division: string, change: (path: string) => void) =>
  Effect.gen(function* () {
    const path = join(mkdtempSync(join(tmpdir(), "xcontacts-jobfile-")), "contacts.csv")
    writeFileSync(path, header + rows)
    const stored = yield* Effect.promise(() => describeFile(path))
    change(path)
    const job = yield* importFile({
      file: jobFileSource(stored, "contacts.csv"),
      stored,
      settings: { ...defaultImportSettings, division },
      dryRun: false,
      chunkSize: 1
    })
    const contacts = yield* ContactStore.use((store) => store.list({ division, limit: 100 }))
    return { job, names: contacts.map((contact) => contact.firstName).toSorted() }
  })

layer(Layer.merge(inMemoryStoresLayer, IdGenerator.layerSequential))("a job's file", (it) => {
  it.effect("is read as it was described, however much is appended meanwhile", () =>
    Effect.gen(function* () {
      const { job, names } = yield* importChanged("appended", (path) =>
        appendFileSync(path, "F-4,Kim\nF-5,Lee\n")
      )
      assert.strictEqual(job.state, "completed")
      assert.strictEqual(job.counters.rowsTotal, 3)
      assert.deepStrictEqual(names, ["Ada", "Oli", "Sam"])
    })
  )

  it.effect("fails FILE_CHANGED, writing nothing, when its bytes are no longer the same", () =>
    Effect.gen(function* () {
      const { job, names } = yield* importChanged("rewritten", (path) =>
        writeFileSync(path, header + rows.replace("Ada", "Eve"))
      )
      assert.strictEqual(job.state, "failed")
      assert.deepStrictEqual(
        job.problems.map((problem) => `${problem.line}:${problem.code}`),
        ["0:FILE_CHANGED"]
      )
      assert.deepStrictEqual(names, [])
    })
  )

  it.effect("fails FILE_CHANGED when it was cut short", () =>
    Effect.gen(function* () {
      const { job, names } = yield* importChanged("truncated", (path) =>
        writeFileSync(path, `${header}F-1,Ada\n`)
      )
      assert.strictEqual(job.state, "failed")
      assert.deepStrictEqual(
        job.problems.map((problem) => problem.code),
        ["FILE_CHANGED"]
      )
      assert.deepStrictEqual(names, [])
    })
  )
})

layer(Layer.mergeAll(inMemoryStoresLayer, IdGenerator.layerSequential, JobFilesNode(null)))(
  "a stopped job whose kept file is gone or changed",
  (it) => {
    /** A job stopped after `continue`, before its first chunk: a resume must open its file. */
    const stoppedJob = (division: string) =>
      Effect.gen(function* () {
        const path = join(mkdtempSync(join(tmpdir(), "xcontacts-jobfile-")), "contacts.csv")
        writeFileSync(path, header + rows)
        const stored = yield* Effect.promise(() => describeFile(path))
        const validated = yield* importFile({
          file: jobFileSource(stored, "contacts.csv"),
          stored,
          settings: { ...defaultImportSettings, division },
          dryRun: false,
          waitForContinue: true
        })
        assert.strictEqual(validated.state, "validated")
        yield* beginContinueImportJob(validated.id)
        return { id: validated.id, path }
      })

    it.effect("fails FILE_CHANGED instead of staying importing, and retries once it is back", () =>
      Effect.gen(function* () {
        const { id, path } = yield* stoppedJob("changed-kept")
        writeFileSync(path, header + rows.replace("Ada", "Eve"))
        const failed = yield* resumeImportJob(id)
        assert.strictEqual(failed.state, "failed")
        assert.deepStrictEqual(
          failed.problems.map((problem) => `${problem.line}:${problem.code}`),
          ["0:FILE_CHANGED"]
        )
        assert.include(failed.problems[0]?.message ?? "", "changed since the job started")

        writeFileSync(path, header + rows)
        // Nothing was committed, so the retry validates again and waits, as the job was asked to.
        const retried = yield* retryImportJob(id)
        assert.strictEqual(retried.state, "validated")
        const completed = yield* continueImportJob(id)
        assert.strictEqual(completed.state, "completed")
        assert.strictEqual(completed.counters.contacts.created, 3)
      })
    )

    it.effect("fails FILE_UNAVAILABLE when it was deleted", () =>
      Effect.gen(function* () {
        const { id, path } = yield* stoppedJob("deleted-kept")
        rmSync(path)
        const failed = yield* resumeImportJob(id)
        assert.strictEqual(failed.state, "failed")
        assert.deepStrictEqual(
          failed.problems.map((problem) => problem.code),
          ["FILE_UNAVAILABLE"]
        )
        assert.strictEqual(
          failed.problems[0]?.message,
          `The job's file cannot be used: ${path} is no longer there. Put the original file ` +
            "back, or import the file as a new job."
        )
        const contacts = yield* ContactStore.use((store) =>
          store.list({ division: "deleted-kept", limit: 100 })
        )
        assert.deepStrictEqual(contacts, [])
      })
    )
  }
)
