import { assert, describe, type Vitest } from "@effect/vitest"
import { Effect } from "effect"
import {
  BEFORE_FIRST_LINE,
  type ImportJobId,
  PROBLEM_PREVIEW_SIZE,
  previewEndLine
} from "../src/ImportJob.ts"
import { defaultImportSettings } from "../src/ImportSettings.ts"
import { importFile } from "../src/import/ImportFile.ts"
import type { Problem } from "../src/Problem.ts"
import type { IdGenerator } from "../src/ports/IdGenerator.ts"
import { ImportJobStore } from "../src/ports/ImportJobStore.ts"
import type { ContractStores } from "./ContractStores.ts"

const file = (text: string) => ({
  name: "problems.csv",
  open: async function* () {
    yield new TextEncoder().encode(text)
  }
})

const run = (text: string, division: string) =>
  importFile({
    file: file(text),
    settings: { ...defaultImportSettings, source: "s", division },
    dryRun: false,
    chunkSize: 25
  })

const phone = (index: number) => `+44 20 7946 ${String(index).padStart(4, "0")}`

/**
 * 150 rows (lines 2 to 151) with a phone written with spaces, which warns `PHONE_NOT_E164`; the
 * row on line 100 has a second one. An unknown column warns once, on the header line.
 */
const manyWarnings =
  "External ID,Work Phone,Cell Phone,notes\n" +
  Array.from(
    { length: 150 },
    (_, index) => `W-${index},${phone(index)},${index + 2 === 100 ? phone(9000) : ""},x\n`
  ).join("")

/** Every problem of `manyWarnings` as `line:CODE`, in line order. */
const allWarnings = [
  "1:UNKNOWN_COLUMN",
  ...Array.from({ length: 150 }, (_, index) => index + 2).flatMap((line) =>
    Array.from({ length: line === 100 ? 2 : 1 }, () => `${line}:PHONE_NOT_E164`)
  )
]

const codes = (problems: ReadonlyArray<Problem>) =>
  problems.map((problem) => `${problem.line}:${problem.code}`)

/** Every page of a job's problems from the top, `limit` at a time. */
const pages = (id: ImportJobId, limit: number) =>
  Effect.gen(function* () {
    const store = yield* ImportJobStore
    const all: Array<ReadonlyArray<Problem>> = []
    let after = BEFORE_FIRST_LINE
    while (true) {
      const page = yield* store.problems(id, after, limit)
      if (page.length === 0) return all
      all.push(page)
      after = page.at(-1)!.line
    }
  })

/**
 * A job carries a bounded preview of its problems and their number; the store pages through all
 * of them by line. Part of the import contract, so that every adapter keeps them alike.
 */
export const problemsContract = (it: Vitest.MethodsNonLive<ContractStores | IdGenerator>) =>
  describe("problems of a file with more than the preview holds", () => {
    it.effect("the job carries the first 100 by whole lines and counts them all", () =>
      Effect.gen(function* () {
        const job = yield* run(manyWarnings, "many-problems")
        assert.strictEqual(job.state, "completed")
        assert.strictEqual(PROBLEM_PREVIEW_SIZE, 100)
        assert.strictEqual(job.problemCount, 152)
        assert.strictEqual(job.counters.warnings, 152)
        // Lines 1 to 99 hold 99 problems; line 100 brings two, and a line is never split.
        assert.deepStrictEqual(codes(job.problems), allWarnings.slice(0, 101))
        assert.strictEqual(previewEndLine(job), 100)
      })
    )

    it.effect("pages return every problem once, in line order, ending with whole lines", () =>
      Effect.gen(function* () {
        const job = yield* run(manyWarnings, "paged-problems")
        const paged = yield* pages(job.id, 40)
        assert.deepStrictEqual(
          paged.map((page) => page.length),
          [40, 40, 40, 32]
        )
        assert.deepStrictEqual(codes(paged.flat()), allWarnings)
        const store = yield* ImportJobStore
        assert.deepStrictEqual(codes(yield* store.problems(job.id, 99, 1)), [
          "100:PHONE_NOT_E164",
          "100:PHONE_NOT_E164"
        ])
        assert.deepStrictEqual(codes(yield* store.problems(job.id, 150, 10)), [
          "151:PHONE_NOT_E164"
        ])
        assert.deepStrictEqual(yield* store.problems(job.id, 151, 10), [])
        const [reread] = (yield* store.list(1000)).filter((listed) => listed.id === job.id)
        assert.deepStrictEqual(reread?.problems, job.problems)
        assert.strictEqual(reread?.problemCount, 152)
      })
    )

    it.effect("a file that fails while importing keeps its failure after the preview", () =>
      Effect.gen(function* () {
        const broken = `${manyWarnings.split("\n").slice(0, 131).join("\n")}\nW-X,"+44 20,,x\n`
        // Validated whole, the file then reads broken: the import pass fails on line 132.
        let opened = 0
        const job = yield* importFile({
          file: {
            name: "changing.csv",
            open: async function* () {
              opened++
              yield new TextEncoder().encode(opened === 1 ? manyWarnings : broken)
            }
          },
          settings: { ...defaultImportSettings, source: "s", division: "failed-problems" },
          dryRun: false,
          chunkSize: 25
        })
        assert.strictEqual(job.state, "failed")
        // The import committed chunks of 25 rows (lines 2 to 126) before line 132 failed it.
        const failure = "132:QUOTE_NOT_CLOSED"
        assert.strictEqual(job.counters.rowsTotal, 125)
        assert.strictEqual(job.problemCount, 1 + 126 + 1)
        assert.deepStrictEqual(codes(job.problems), [...allWarnings.slice(0, 101), failure])
        assert.strictEqual(previewEndLine(job), 100)
        const paged = (yield* pages(job.id, 50)).flat()
        assert.deepStrictEqual(codes(paged), [...allWarnings.slice(0, 127), failure])
      })
    )
  })
