import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { CsvFileError, type CsvRecord, readCsvRecords } from "../../src/csv/CsvReader.ts"
import { mapHeader } from "../../src/csv/HeaderMap.ts"
import { checkRow } from "../../src/csv/RowChecker.ts"
import { defaultImportSettings } from "../../src/ImportSettings.ts"

const settings = { ...defaultImportSettings, organizationKey: "name" as const }

const pieces = async function* (bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

/** Reads and checks a whole file; returns the lines of every row and problem, or the failure. */
const readAll = async (bytes: Uint8Array, size: number) => {
  const lines: Array<number> = []
  const records: Array<CsvRecord> = []
  try {
    let header: ReturnType<typeof mapHeader> | null = null
    for await (const record of readCsvRecords(pieces(bytes, size), {
      encoding: "auto",
      delimiter: "auto",
      maxFieldLength: 40
    })) {
      records.push(record)
      lines.push(record.line)
      if (header === null) {
        header = mapHeader(record.cells, record.line, settings)
        continue
      }
      const row = checkRow(record, header, settings)
      lines.push(row.line, ...(row._tag === "Blank" ? [] : row.problems.map((p) => p.line)))
    }
    return { lines, records, failure: null }
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error
    return { lines: [...lines, error.problem.line], records, failure: error.problem }
  }
}

const cell = fc.string({ unit: fc.constantFrom("a", "é", " ", ",", '"', "\n", "\r", "1", "+") })
const quote = (value: string) => `"${value.replaceAll('"', '""')}"`

describe("CsvReader, for any input", () => {
  it("never throws a defect on arbitrary bytes, and every row and problem has a line", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.integer({ min: 1, max: 9 }),
        async (bytes, size) => {
          const { lines } = await readAll(bytes, size)
          for (const line of lines) assert.isTrue(Number.isInteger(line) && line >= 1)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("reads back exactly the cells of valid CSV, with the lines where records start", async () => {
    const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), {
      minLength: 1,
      maxLength: 8
    })
    const ending = fc.constantFrom("\n", "\r\n", "\r")
    await fc.assert(
      fc.asyncProperty(table, ending, fc.integer({ min: 1, max: 7 }), async (rows, eol, size) => {
        const all = [["external_id", "first_name"], ...rows]
        const text = all.map((row) => row.map(quote).join(",")).join(eol)
        const { records, failure } = await readAll(new TextEncoder().encode(text), size)
        assert.isNull(failure)
        const expected = all.filter((row) => row.every((value) => value.length <= 40))
        const read = records.filter((record) => record.oversize === null)
        assert.deepStrictEqual(
          read.map((record) => record.cells),
          expected
        )
        let line = 1
        for (const [index, row] of all.entries()) {
          assert.strictEqual(records[index]!.line, line)
          line += 1 + row.join(",").split(/\r\n|\r|\n/u).length - 1
        }
      }),
      { numRuns: 300 }
    )
  })
})
