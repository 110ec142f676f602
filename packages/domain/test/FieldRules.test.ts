import { assert, describe, it } from "@effect/vitest"
import { columns } from "../src/csv/Columns.ts"
import {
  contactFieldMaxLength,
  isHttpUrl,
  isWebsite,
  organizationFieldMaxLength
} from "../src/FieldRules.ts"

describe("FieldRules", () => {
  it("takes only absolute http(s) URLs as URLs", () => {
    for (const url of ["https://crm.example.com/p/7", "http://example.com"]) {
      assert.isTrue(isHttpUrl(url), url)
    }
    for (const url of ["javascript:alert(1)", "ftp://example.com", "example.com", "", "https//x"]) {
      assert.isFalse(isHttpUrl(url), url)
    }
  })

  it("takes a host name or an http(s) URL as a website, never a script", () => {
    for (const site of ["example.com", "www.example.co.uk/about", "https://example.com"]) {
      assert.isTrue(isWebsite(site), site)
    }
    for (const site of ["javascript:alert(1)", "not a site", "localhost", "data:text/html,x"]) {
      assert.isFalse(isWebsite(site), site)
    }
  })

  it("gives every import column of a field the field's limit", () => {
    for (const column of columns) {
      const { entity, field } = column.target
      const limits: Record<string, number | null> =
        entity === "contact" ? contactFieldMaxLength : organizationFieldMaxLength
      if (entity === "custom" || !(field in limits)) continue
      assert.strictEqual(column.maxLength, limits[field], `${entity}.${field}`)
    }
    assert.strictEqual(contactFieldMaxLength.postalCode, 25)
    assert.strictEqual(organizationFieldMaxLength.name, 1000)
  })
})
