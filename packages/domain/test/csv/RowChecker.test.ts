import { assert, describe, it } from "@effect/vitest"
import type { CsvRecord } from "../../src/csv/CsvRecord.ts"
import { mapHeader } from "../../src/csv/HeaderMap.ts"
import { checkRow } from "../../src/csv/RowChecker.ts"
import { defaultImportSettings } from "../../src/ImportSettings.ts"

const settings = { ...defaultImportSettings, organizationKey: "name" as const }
const headerCells = [
  "External ID",
  "Email",
  "Phone",
  "Company",
  "Survey Opt Out",
  "Websites",
  "Employee Count"
]
const header = mapHeader(headerCells, 1, settings)

const check = (cells: ReadonlyArray<string>, oversize: CsvRecord["oversize"] = null) =>
  checkRow({ line: 7, cells, oversize }, header, settings)
const codes = (cells: ReadonlyArray<string>) =>
  check(cells)._tag === "Blank"
    ? []
    : (check(cells) as { problems: ReadonlyArray<{ code: string }> }).problems.map((p) => p.code)

describe("RowChecker", () => {
  it("skips a row whose cells are all empty or spaces as blank", () => {
    assert.strictEqual(check(["", " ", "\t", "", "", "", ""])._tag, "Blank")
  })

  it("trims invisible characters and spaces from emails", () => {
    const row = check(["A-1", " \u200bsam@example.com\ufeff ", "", "", "", "", ""])
    assert.strictEqual(row._tag, "Checked")
    if (row._tag === "Checked") assert.strictEqual(row.contact?.fields.workEmail, "sam@example.com")
  })

  it("rejects bad emails, booleans, numbers and websites with their codes", () => {
    assert.deepStrictEqual(
      codes(["A-1", "a b@example.com", "", "", "maybe", "not a site", "1,200"]),
      [
        "EMAIL_INVALID",
        "BOOLEAN_INVALID",
        "URL_INVALID",
        "NUMBER_INVALID",
        "ORGANIZATION_KEY_REQUIRED"
      ]
    )
  })

  it("rejects an address with a dot at either end of its local part or opening its domain", () => {
    for (const email of [
      ".dot@example.com",
      "dot.@example.com",
      "a..b@example.com",
      "ann@.x.example"
    ]) {
      assert.deepStrictEqual(codes(["A-1", email, "", "", "", "", ""]), ["EMAIL_INVALID"], email)
    }
    assert.deepStrictEqual(codes(["A-1", "d.o.t@example.com", "", "", "", "", ""]), [])
  })

  it("fails a key that holds a line break, tab or other control character", () => {
    for (const [key, at] of [
      ["A\n1", "U+000A at position 2"],
      ["A\t1", "U+0009 at position 2"],
      ["A-1\u0085", "U+0085 at position 4"]
    ] as const) {
      const row = check([key, "", "", "", "", "", ""])
      assert.strictEqual(row._tag, "Rejected", key)
      if (row._tag !== "Rejected") continue
      assert.deepStrictEqual(
        row.problems.map((problem) => [problem.line, problem.column, problem.code]),
        [[7, "External ID", "EXTERNAL_ID_INVALID"]]
      )
      assert.include(row.problems[0]!.message, at)
    }
    const keyed = mapHeader(["Account ID", "Company"], 1, settings)
    const org = checkRow({ line: 3, cells: ["O\r7", "Acme"], oversize: null }, keyed, settings)
    assert.strictEqual(org._tag === "Rejected" && org.problems[0]?.code, "EXTERNAL_ID_INVALID")
    // Spaces around a key are trimmed, as before; inner spaces are kept.
    assert.strictEqual(check([" A 1 ", "", "", "", "", "", ""])._tag, "Checked")
  })

  it("warns ROW_SHORT for missing cells and fails an extra non-empty cell", () => {
    assert.deepStrictEqual(codes(["A-1", "a@example.com"]), ["ROW_SHORT"])
    assert.deepStrictEqual(codes(["A-1", "", "", "", "", "", "", ""]), [])
    assert.deepStrictEqual(codes(["A-1", "", "", "", "", "", "", "16"]), ["COLUMN_COUNT_MISMATCH"])
  })

  it("fails a row with a NUL byte or over a size limit, naming the column", () => {
    const nul = check(["A-1", "a\u0000b", "", "", "", "", ""])
    assert.strictEqual(nul._tag, "Rejected")
    assert.strictEqual(nul._tag === "Rejected" && nul.problems[0]?.code, "BINARY_CONTENT")
    const long = check(["A-1"], { _tag: "FieldTooLong", column: 1, limit: 65536 })
    assert.deepStrictEqual(
      long._tag === "Rejected" && long.problems.map((p) => [p.code, p.line, p.column]),
      [["FIELD_TOO_LONG", 7, "Email"]]
    )
  })

  it("reads a phone placeholder as blank with a warning", () => {
    const row = check(["A-1", "", "n/a", "", "", "", ""])
    assert.strictEqual(row._tag, "Checked")
    if (row._tag === "Checked") {
      assert.strictEqual(row.contact?.fields.workPhone, null)
      assert.deepStrictEqual(
        row.problems.map((p) => p.code),
        ["PHONE_PLACEHOLDER"]
      )
    }
  })

  it("takes an employee count up to what the store keeps, and rejects one past it", () => {
    const row = (count: string) => ["A-1", "", "", "Acme", "", "", count]
    assert.deepStrictEqual(codes(row("2147483647")), [])
    assert.deepStrictEqual(codes(row("2147483648")), ["NUMBER_INVALID"])
    assert.deepStrictEqual(codes(row("99999999999999999999")), ["NUMBER_INVALID"])
  })

  it("splits websites and tags on semicolons and derives the organization key from the name", () => {
    const row = check([
      "A-1",
      "",
      "",
      "  ACME  Corp ",
      "yes",
      "acme.example; https://acme.example/en",
      "12"
    ])
    assert.strictEqual(row._tag, "Checked")
    if (row._tag === "Checked") {
      assert.strictEqual(row.organization?.key, "acme corp")
      assert.deepStrictEqual(row.organization?.fields.websites, [
        "acme.example",
        "https://acme.example/en"
      ])
      assert.strictEqual(row.organization?.fields.employeeCount, 12)
      assert.strictEqual(row.contact?.fields.surveyOptOut, true)
    }
  })
})
