import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import {
  defaultImportSettings,
  mappingFromEntries,
  ProfileSettingsInput,
  readProfileName,
  readSetting,
  resolveSettings
} from "../src/index.ts"

describe("the rules of a setting", () => {
  it("refuses a blank source or division and trims a given one", () => {
    for (const blank of ["", "  ", "\t"]) {
      assert.deepStrictEqual(readSetting("source", blank), Result.fail("a name must not be blank"))
      assert.deepStrictEqual(
        readSetting("division", blank),
        Result.fail("a name must not be blank")
      )
    }
    assert.deepStrictEqual(readSetting("source", " erp "), Result.succeed("erp"))
    assert.isTrue(Result.isFailure(readSetting("division", "d".repeat(101))))
  })

  it("takes a positive whole number of bytes as the largest file", () => {
    for (const wrong of [-1, 0, 1.5, Number.NaN, "NaN", "1024"]) {
      assert.isTrue(Result.isFailure(readSetting("maxFileBytes", wrong)), String(wrong))
    }
    assert.deepStrictEqual(readSetting("maxFileBytes", 1024), Result.succeed(1024))
  })

  it("takes a country or calling code, upper-cased, and columns as mapping targets", () => {
    assert.deepStrictEqual(
      readSetting("country", "ZZ"),
      Result.fail('"ZZ" is not a country (GB) or a calling code (44)')
    )
    assert.deepStrictEqual(readSetting("country", " gb"), Result.succeed("GB"))
    assert.deepStrictEqual(
      readSetting("mapping", { Mobile: " Cell Phone", Note: "custom.note" }),
      Result.succeed({ Mobile: "Cell Phone", Note: "custom.note" })
    )
    assert.isTrue(Result.isFailure(readSetting("mapping", { foo: "Not A Column" })))
  })

  it("checks a whole profile's settings by the same rules", () => {
    const decode = Schema.decodeUnknownResult(ProfileSettingsInput)
    assert.deepStrictEqual(
      decode({ source: " crm ", country: "de" }),
      Result.succeed({
        source: "crm",
        country: "DE"
      })
    )
    for (const settings of [
      { source: "  " },
      { division: "" },
      { maxFileBytes: -1 },
      { country: "ZZ" },
      { mapping: { foo: "Not A Column" } }
    ]) {
      assert.isTrue(Result.isFailure(decode(settings)), JSON.stringify(settings))
    }
  })

  it("names a profile with letters, digits, spaces, '-', '_' and '.', trimmed", () => {
    assert.deepStrictEqual(readProfileName(" weekly crm.v2 "), Result.succeed("weekly crm.v2"))
    assert.deepStrictEqual(readProfileName("Ünïcode_1"), Result.succeed("Ünïcode_1"))
    for (const wrong of ["", "   ", "a/b", "x".repeat(101), "weekly\ncrm", ".", "..", " ... "]) {
      assert.isTrue(Result.isFailure(readProfileName(wrong)), JSON.stringify(wrong))
    }
  })
})

describe("mappingFromEntries", () => {
  it("reads CSV header=Canonical Header entries, and refuses a header mapped twice", () => {
    assert.deepStrictEqual(
      mappingFromEntries(["Mobil Nr = Cell Phone", "ID=External ID"]),
      Result.succeed({ "Mobil Nr": " Cell Phone", ID: "External ID" })
    )
    assert.deepStrictEqual(
      mappingFromEntries(["Given=First Name", "Mail=Work Email", "given =Last Name"]),
      Result.fail(
        '"given" is mapped twice ("Given=…" and "given =Last Name"); map each header once'
      )
    )
    assert.deepStrictEqual(
      mappingFromEntries(["no equals sign"]),
      Result.fail('"no equals sign" is not "CSV header=Canonical Header"')
    )
  })
})

describe("names and mappings a profile may hold", () => {
  it("refuses a source or division with a control character", () => {
    assert.deepStrictEqual(
      readSetting("source", "c\trm"),
      Result.fail("a name holds no control characters; this one has U+0009 at position 2")
    )
    assert.isTrue(Result.isFailure(readSetting("division", "east\n")))
    assert.deepStrictEqual(readSetting("source", " crm "), Result.succeed("crm"))
  })

  it("refuses a mapping that names one header twice, in any spelling", () => {
    assert.deepStrictEqual(
      readSetting("mapping", { "Last Name": "First Name", "last name ": "Title" }),
      Result.fail('"Last Name" and "last name " name the same header; map each header once')
    )
  })
})

describe("settings from a profile and a run", () => {
  it("adds a run's mapping to its profile's, replacing only the same header's entry", () => {
    const settings = resolveSettings(
      defaultImportSettings,
      {
        mapping: { Mail2: "Work Email", "Mobil Nr": "Cell Phone", Email: "Personal Email" },
        source: "crm"
      },
      { mapping: { Phone2: "Work Phone", " mobil nr": "Home Phone", "E-mail": "Other Email" } }
    )
    // `E-mail` is another header than `Email` (a file may have both); ` mobil nr` is `Mobil Nr`.
    assert.deepStrictEqual(settings.mapping, {
      Mail2: "Work Email",
      Email: "Personal Email",
      Phone2: "Work Phone",
      " mobil nr": "Home Phone",
      "E-mail": "Other Email"
    })
    assert.strictEqual(settings.source, "crm")
    // A run without a mapping keeps the profile's.
    assert.deepStrictEqual(
      resolveSettings(defaultImportSettings, { mapping: { A: "Title" } }, { source: "x" }).mapping,
      { A: "Title" }
    )
  })
})
