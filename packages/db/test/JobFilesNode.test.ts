import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { type JobFile, JobFiles } from "@xcontacts/domain"
import { Effect } from "effect"
import { describeFile, JobFilesNode } from "../src/JobFilesNode.ts"

const copyName = "0b9f4c1e-3d2a-4f5b-8c7d-6e5f4a3b2c1d.csv"

/** A fresh folder with the job files' folder `uploads/` in it, and a file written at `path`. */
const folders = () => {
  const root = mkdtempSync(join(tmpdir(), "xcontacts-jobfiles-"))
  const uploads = join(root, "uploads")
  mkdirSync(uploads)
  const write = (path: string) => {
    writeFileSync(path, "External ID\nF-1\n")
    return Effect.promise(() => describeFile(path))
  }
  return { root, uploads, write }
}

const remove = (folder: string | null, file: JobFile) =>
  JobFiles.use((files) => files.remove(file)).pipe(Effect.provide(JobFilesNode(folder)))

describe("JobFilesNode.remove", () => {
  it.effect("removes a copy kept in the job files' folder, and nothing beside it", () =>
    Effect.gen(function* () {
      const { uploads, write } = folders()
      const copy = yield* write(join(uploads, copyName))
      const other = yield* write(join(uploads, "1b9f4c1e-3d2a-4f5b-8c7d-6e5f4a3b2c1d.csv"))

      yield* remove(uploads, copy)
      assert.isFalse(existsSync(copy.location))
      assert.isTrue(existsSync(other.location))
      // Gone already: nothing to do, no failure.
      yield* remove(uploads, copy)
    })
  )

  it.effect("leaves a file outside the folder, or in it under a name it never gives", () =>
    Effect.gen(function* () {
      const { root, uploads, write } = folders()
      const outside = yield* write(join(root, copyName))
      const own = yield* write(join(uploads, "contacts.csv"))
      mkdirSync(join(root, "elsewhere"))
      const escaping = yield* write(join(root, "elsewhere", copyName))
      const dotted = { ...escaping, location: join(uploads, "..", "elsewhere", copyName) }

      for (const file of [outside, own, dotted]) {
        const left = yield* Effect.flip(remove(uploads, file))
        assert.strictEqual(left._tag, "JobFileNotRemoved")
        assert.strictEqual(
          left.message,
          `${file.location} was left in place: it is not a copy kept in the job files' folder ` +
            `${uploads}.`
        )
        assert.isTrue(existsSync(file.location))
      }
    })
  )

  it.effect("removes nothing when no folder is configured", () =>
    Effect.gen(function* () {
      const { uploads, write } = folders()
      const copy = yield* write(join(uploads, copyName))
      const left = yield* Effect.flip(remove(null, copy))
      assert.strictEqual(
        left.message,
        `${copy.location} was left in place: no job files' folder is configured.`
      )
      assert.isTrue(existsSync(copy.location))
    })
  )
})
