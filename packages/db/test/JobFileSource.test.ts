import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, layer } from "@effect/vitest"
import { ContactStore, defaultImportSettings, IdGenerator, importFile } from "@xcontacts/domain"
import { inMemoryStoresLayer } from "@xcontacts/domain/testing"
import { Effect, Layer } from "effect"
import { describeFile, jobFileSource } from "../src/JobFilesNode.ts"

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
