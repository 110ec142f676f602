import { assert, describe, it } from "@effect/vitest"
import { mapHeader } from "../../src/csv/HeaderMap.ts"
import { defaultImportSettings, type ImportSettings } from "../../src/ImportSettings.ts"

const map = (cells: ReadonlyArray<string>, settings: Partial<ImportSettings> = {}) =>
  mapHeader(cells, 1, { ...defaultImportSettings, ...settings })

const fields = (cells: ReadonlyArray<string>, settings: Partial<ImportSettings> = {}) =>
  map(cells, settings).columns.map((column) => `${column.target.entity}.${column.target.field}`)

describe("HeaderMap", () => {
  it("matches headers ignoring case, spaces, non-breaking spaces, underscores, hyphens and dots", () => {
    for (const header of [
      "External ID",
      "external_id",
      "ExternalId",
      "EXTERNAL-ID",
      "external\u00a0id."
    ]) {
      assert.deepStrictEqual(fields([header]), ["contact.externalId"], header)
    }
  })

  it("accepts every alias of spec §3", () => {
    assert.deepStrictEqual(
      fields(["Contact ID", "Job Title", "Telephone", "Mobile Phone", "Country Code", "E-mail"]),
      [
        "contact.externalId",
        "contact.title",
        "contact.workPhone",
        "contact.cellPhone",
        "contact.phoneCountry",
        "contact.workEmail"
      ]
    )
    assert.deepStrictEqual(fields(["Account ID", "Organisation", "Company Name"]).slice(0, 2), [
      "organization.externalId",
      "organization.name"
    ])
  })

  it("lets an explicit mapping win over automatic matching", () => {
    assert.deepStrictEqual(
      fields(["ID", "Email"], { mapping: { ID: "External ID", Email: "Personal Email" } }),
      ["contact.externalId", "contact.personalEmail"]
    )
  })

  it("takes a mapped column's field from a column whose header alone would have matched it", () => {
    const mapped = map(["External ID", "Email", "Mail2"], { mapping: { Mail2: "Work Email" } })
    assert.deepStrictEqual(
      mapped.columns.map((column) => [column.header, column.target.field]),
      [
        ["External ID", "externalId"],
        ["Mail2", "workEmail"]
      ]
    )
    assert.deepStrictEqual(
      mapped.problems.map((problem) => [problem.severity, problem.code, problem.message]),
      [
        [
          "warning",
          "UNKNOWN_COLUMN",
          'Ignored columns: "Email" (the mapping puts "Mail2" in its field).'
        ]
      ]
    )
    // The column steps aside wherever it stands, and a custom field is claimed the same way.
    assert.deepStrictEqual(
      fields(["Mail2", "E-mail", "ID", "Custom: Tier"], {
        mapping: { Mail2: "Work Email", ID: "custom.tier" }
      }),
      ["contact.workEmail", "custom.tier"]
    )
    // A mapping written as one of two headers that match alike maps that one only.
    assert.deepStrictEqual(
      map(["External ID", "Email", "E-mail"], {
        mapping: { "E-mail": "Personal Email" }
      }).columns.map((column) => [column.header, column.target.field]),
      [
        ["External ID", "externalId"],
        ["Email", "workEmail"],
        ["E-mail", "personalEmail"]
      ]
    )
    // Each of the two may have a mapping of its own; a header matching both loosely is ambiguous.
    const both = { Email: "Personal Email", "E-mail": "Other Email" }
    assert.deepStrictEqual(fields(["External ID", "email", "E-MAIL"], { mapping: both }), [
      "contact.externalId",
      "contact.personalEmail",
      "contact.otherEmail"
    ])
    assert.deepStrictEqual(
      map(["External ID", "E_mail"], { mapping: both }).problems.map((problem) => [
        problem.code,
        problem.column
      ]),
      [["MAPPING_AMBIGUOUS", "E_mail"]]
    )
    // Two mapped columns naming one field still fail the file.
    assert.deepStrictEqual(
      map(["External ID", "A", "B"], { mapping: { A: "Work Email", B: "Email" } }).problems.map(
        (problem) => [problem.code, problem.column]
      ),
      [["HEADER_DUPLICATE", "B"]]
    )
  })

  it("names each setting a message suggests as the command line and the API take it", () => {
    const unknown = map(["External ID", "notes"]).problems[0]!
    assert.strictEqual(
      unknown.message,
      'Ignored columns: "notes". Map them to a field, or keep them as custom fields with ' +
        "--unknown-columns keep (API: unknownColumns=keep)."
    )
    assert.include(
      map(["External ID", "Company"]).problems.find((p) => p.severity === "error")!.message,
      "with --org-key name (API: orgKey=name)."
    )
  })

  it("fails a mapping whose header the file does not have, naming it, and keeps the others", () => {
    const mapping = { "Mobil Nr": "Cell Phone", id: "External ID", "Acct #": "Account ID" }
    const mapped = map(["ID", "Mobile Nr"], { mapping })
    assert.deepStrictEqual(
      mapped.problems.map((problem) => [
        problem.line,
        problem.column,
        problem.code,
        problem.severity
      ]),
      [
        [1, null, "MAPPED_HEADER_MISSING", "error"],
        [1, null, "MAPPED_HEADER_MISSING", "error"],
        [1, null, "UNKNOWN_COLUMN", "warning"]
      ]
    )
    assert.include(mapped.problems[0]!.message, 'names the header "Mobil Nr"')
    assert.include(mapped.problems[1]!.message, 'names the header "Acct #"')
    assert.deepStrictEqual(fields(["ID", "Mobile Nr"], { mapping }), ["contact.externalId"])
  })

  it("finds a mapped header in any spelling the header match allows", () => {
    const mapping = { mobile_nr: "Cell Phone", "Ext. ID": "External ID" }
    assert.deepStrictEqual(map(["EXT ID", "Mobile Nr"], { mapping }).problems, [])
  })

  it("fails two headers that map to the same field", () => {
    const codes = map(["External ID", "Email", "E-mail"]).problems.map((problem) => problem.code)
    assert.include(codes, "HEADER_DUPLICATE")
  })

  it("warns once about all unknown columns, or keeps them as custom fields when asked", () => {
    const ignored = map(["External ID", "notes", "shoe size"]).problems
    assert.deepStrictEqual(
      ignored.map((problem) => problem.code),
      ["UNKNOWN_COLUMN"]
    )
    assert.include(ignored[0]!.message, '"notes", "shoe size"')
    assert.deepStrictEqual(fields(["External ID", "notes"], { unknownColumns: "keep" }), [
      "contact.externalId",
      "custom.notes"
    ])
    assert.deepStrictEqual(fields(["External ID", "Custom: Shoe size"]), [
      "contact.externalId",
      "custom.Shoe size"
    ])
  })

  it("matches custom field names as headers, and ignores a custom column without a name", () => {
    const twice = map(["External ID", "Custom: Tier", "Custom: tier"]).problems
    assert.deepStrictEqual(
      twice.map((problem) => [problem.code, problem.column, problem.message]),
      [
        [
          "HEADER_DUPLICATE",
          "Custom: tier",
          'Columns "Custom: Tier" and "Custom: tier" both map to the custom field "tier"; ' +
            "remove one or map it elsewhere."
        ]
      ]
    )
    const kept = map(["External ID", "notes", "Notes"], { unknownColumns: "keep" }).problems
    assert.deepStrictEqual(
      kept.map((problem) => problem.code),
      ["HEADER_DUPLICATE"]
    )
    const unnamed = map(["External ID", "Custom:", "Custom: Tier"])
    assert.deepStrictEqual(
      unnamed.columns.map((column) => `${column.target.entity}.${column.target.field}`),
      ["contact.externalId", "custom.Tier"]
    )
    assert.deepStrictEqual(
      unnamed.problems.map((problem) => problem.code),
      ["UNKNOWN_COLUMN"]
    )
    assert.include(
      unnamed.problems[0]!.message,
      '"Custom:" (a custom field needs a name: "Custom: <name>")'
    )
  })

  it("names a column without a header between named ones, and ignores only a trailing one", () => {
    for (const unknownColumns of ["ignore", "keep"] as const) {
      const mapped = map(["External ID", "", "Email", " "], { unknownColumns })
      assert.deepStrictEqual(
        mapped.problems.map((problem) => [problem.code, problem.message]),
        [
          [
            "UNKNOWN_COLUMN",
            "Ignored columns: column 2 (no header). Give a column a header in the file to " +
              "import its cells."
          ]
        ]
      )
      assert.strictEqual(mapped.width, 3)
    }
    assert.deepStrictEqual(map(["External ID", "Email", ""]).problems, [])
    assert.include(
      map(["External ID", "", "notes"]).problems[0]!.message,
      'column 2 (no header), "notes". Map them'
    )
  })

  it("asks for an organization key or --org-key name when organization columns have none", () => {
    const problem = map(["External ID", "Company"]).problems.find((p) => p.severity === "error")
    assert.strictEqual(problem?.code, "ORGANIZATION_KEY_COLUMN_MISSING")
    assert.include(problem?.message, "--org-key name")
    assert.deepStrictEqual(
      map(["External ID", "Company"], { organizationKey: "name" }).problems,
      []
    )
  })

  it("ignores an empty trailing header cell", () => {
    assert.strictEqual(map(["External ID", "Email", ""]).width, 2)
  })
})
