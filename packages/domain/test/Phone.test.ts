import { assert, describe, it } from "@effect/vitest"
import { normalizePhone } from "../src/Phone.ts"
import { type PhoneCountry, parsePhoneCountry } from "../src/PhoneCountry.ts"

const country = (text: string): PhoneCountry => {
  const parsed = parsePhoneCountry(text)
  assert.isNotNull(parsed)
  return parsed!
}

const read = (raw: string, where = "US") => {
  const result = normalizePhone(raw, country(where))
  return {
    e164: result.phone?.e164 ?? null,
    extension: result.phone?.extension ?? null,
    raw: result.phone?.raw ?? null,
    codes: result.issues.map((issue) => issue.code)
  }
}

describe("Phone", () => {
  it("normalizes a national number in the default country and warns it was not E.164", () => {
    assert.deepStrictEqual(read("(202) 555-0101"), {
      e164: "+12025550101",
      extension: null,
      raw: "(202) 555-0101",
      codes: ["PHONE_NOT_E164"]
    })
  })

  it("reads narrow no-break spaces, invisible characters and full-width digits as typed", () => {
    assert.deepStrictEqual(read("+1\u202f202\u202f555\u202f0179"), {
      e164: "+12025550179",
      extension: null,
      raw: "+1\u202f202\u202f555\u202f0179",
      codes: ["PHONE_NOT_E164"]
    })
    assert.strictEqual(read("+33\u20091\u202f99\u202f00\u202f12\u202f34").e164, "+33199001234")
    assert.deepStrictEqual(read("+12025550178\u200b"), {
      e164: "+12025550178",
      extension: null,
      raw: "+12025550178\u200b",
      codes: ["PHONE_NOT_E164"]
    })
    assert.strictEqual(read("\u2066+1 202 555 0180\u2069").e164, "+12025550180")
    assert.strictEqual(read("\uff0b\uff11 \uff12\uff10\uff12 555 0181").e164, "+12025550181")
    assert.strictEqual(read("202\u2010555\u20100126").e164, "+12025550126")
    assert.strictEqual(read("202 \u2013 555 \u2013 0127").e164, "+12025550127")
    assert.deepStrictEqual(read("\u2014").codes, ["PHONE_PLACEHOLDER"])
    // Digits of other scripts: Arabic-Indic, Extended Arabic-Indic, Devanagari.
    assert.strictEqual(
      read("\u0662\u0660\u0662\u0665\u0665\u0665\u0660\u0661\u0660\u0666").e164,
      "+12025550106"
    )
    assert.strictEqual(read("+\u06f9\u06f8 21 1234 5678").e164, "+982112345678")
    assert.strictEqual(read("+\u0969\u0966 21 1234 5678").e164?.slice(0, 3), "+30")
    assert.deepStrictEqual(read("202-555-0120 \u2014"), {
      e164: "+12025550120",
      extension: null,
      raw: "202-555-0120 \u2014",
      codes: ["PHONE_NOT_E164"]
    })
    // A line break still separates two numbers.
    assert.deepStrictEqual(read("202 555 0182\n202 555 0183").codes, ["PHONE_MULTIPLE_NUMBERS"])
  })

  it("accepts an E.164 number silently", () => {
    assert.deepStrictEqual(read("+442079460022").codes, [])
  })

  it("reads 00 and (+44) prefixes as international", () => {
    assert.strictEqual(read("0044 20 7946 0022").e164, "+442079460022")
    assert.strictEqual(read("(+44) 20 7946 0022").e164, "+442079460022")
  })

  it("reads the row's country as an ISO code or a calling code", () => {
    assert.strictEqual(read("020 7946 0022", "gb").e164, "+442079460022")
    assert.strictEqual(read("020 7946 0022", "44").e164, "+442079460022")
    assert.strictEqual(read("020 7946 0022", "+44").e164, "+442079460022")
    assert.isNull(parsePhoneCountry("XX"))
    assert.isNull(parsePhoneCountry("999"))
  })

  it("splits off extensions in every written form", () => {
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      ["+1 202-555-0138 x123", "+12025550138", "123"],
      ["(202) 555-0139 ext. 5", "+12025550139", "5"],
      ["+1-202-555-0140;ext=7", "+12025550140", "7"],
      ["+44 20 7946 0026 #22", "+442079460026", "22"],
      ["202-555-0141 extension 4411", "+12025550141", "4411"],
      ["+1 202 555 0142,,,9", "+12025550142", "9"]
    ]
    for (const [raw, e164, extension] of cases) {
      const phone = read(raw)
      assert.strictEqual(phone.e164, e164, raw)
      assert.strictEqual(phone.extension, extension, raw)
      assert.strictEqual(phone.raw, raw)
    }
  })

  it("reads placeholders as blank with a warning", () => {
    for (const raw of ["n/a", "None", "-", "unknown"]) {
      assert.deepStrictEqual(read(raw), {
        e164: null,
        extension: null,
        raw: null,
        codes: ["PHONE_PLACEHOLDER"]
      })
    }
  })

  it("keeps scientific notation as written and never guesses the digits", () => {
    assert.deepStrictEqual(read("4.47401E+11", "GB"), {
      e164: null,
      extension: null,
      raw: "4.47401E+11",
      codes: ["PHONE_SCIENTIFIC_NOTATION"]
    })
  })

  it("normalizes a number with trailing words and warns about the words", () => {
    const phone = read("(202) 555-0145 mobile")
    assert.strictEqual(phone.e164, "+12025550145")
    assert.include(phone.codes, "PHONE_EXTRA_TEXT")
  })

  it("normalizes neither of two numbers in one cell", () => {
    for (const raw of ["202-555-0101 / 202-555-0102", "+12025550101, +12025550102"]) {
      assert.deepStrictEqual(read(raw).codes, ["PHONE_MULTIPLE_NUMBERS"], raw)
      assert.isNull(read(raw).e164)
    }
  })

  it("never translates letters into digits", () => {
    assert.deepStrictEqual(read("1-800-FLOWERS").codes, ["PHONE_INVALID"])
    assert.deepStrictEqual(read("call-me").codes, ["PHONE_INVALID"])
  })

  it("hints at what an invalid number lacks", () => {
    const hint = (raw: string) => {
      const message = normalizePhone(raw, country("US")).issues[0]?.message ?? ""
      return message.slice(message.indexOf("matching. ") + "matching. ".length)
    }
    assert.strictEqual(hint("call-me"), "Write it in digits.")
    assert.strictEqual(
      hint("+2025550136"),
      "It has a country code, but the digits after it are not a number of that country."
    )
    for (const raw of ["555-01", "000-000-0000"]) {
      assert.strictEqual(
        hint(raw),
        "Write it with its country code (such as +44) or set the row's Phone Country.",
        raw
      )
    }
    assert.strictEqual(
      hint("0099 123"),
      "It has a country code, but the digits after it are not a number of that country."
    )
  })

  it("trusts only numbers the library calls valid", () => {
    assert.isNull(read("+100493012345679").e164)
    assert.isNull(read("+2025550136").e164)
    assert.isNull(read("442079460023").e164)
  })

  it("adds a missing + only for the default country's own calling code", () => {
    assert.strictEqual(read("447400123458", "GB").e164, "+447400123458")
    assert.isNull(read("447400123458", "US").e164)
  })
})
