import { describe, expect, it } from "vitest"
import { looseOrganizationName } from "../src/import/OrganizationNameWatch.ts"

describe("the loose form of an organization name", () => {
  it("leaves out punctuation, case, accents and legal forms", () => {
    expect(looseOrganizationName("Acme Corp.")).toBe("acme")
    expect(looseOrganizationName("ACME Corporation")).toBe("acme")
    expect(looseOrganizationName("Åström Design AB")).toBe("astrom design")
    expect(looseOrganizationName("Wróbel Sp. z o.o.")).toBe("wrobel z o o")
    expect(looseOrganizationName("The Paper Street Soap Co")).toBe("paper street soap")
  })

  it("keeps names that differ in words apart", () => {
    expect(looseOrganizationName("Acme Tools")).not.toBe(looseOrganizationName("Acme"))
  })
})
