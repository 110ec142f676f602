import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { columns, IdGenerator } from "@xcontacts/domain"
import { inMemoryStoresLayer } from "@xcontacts/domain/testing"
import { Layer, ManagedRuntime } from "effect"
import { createApiKey, makeApp } from "../src/App.ts"

const runtime = ManagedRuntime.make(Layer.merge(inMemoryStoresLayer, IdGenerator.layerSequential))
const app = makeApp((effect) => runtime.runPromiseExit(effect), {
  uploadDir: join(tmpdir(), "xcontacts-api-test")
})
afterAll(() => runtime.dispose())
const { secret } = await runtime.runPromise(createApiKey({ name: "test", divisions: [] }))

interface Answer {
  readonly status: number
  readonly body: {
    readonly id: string
    readonly type: string
    readonly detail: string
    readonly [field: string]: unknown
  }
}

const send = async (method: string, path: string, json: unknown): Promise<Answer> => {
  const response = await app.request(path, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify(json)
  })
  return { status: response.status, body: (await response.json()) as Answer["body"] }
}

const invalidBody = "https://xcontacts.dev/problems/invalid-body"

/** Asserts a 422 invalid-body problem that names exactly the fields `fields` as wrong. */
const assertRejected = (answer: Answer, fields: ReadonlyArray<string>, what: string) => {
  assert.strictEqual(answer.status, 422, what)
  assert.strictEqual(answer.body.type, invalidBody, what)
  const named = [...answer.body.detail.matchAll(/ {2}at \["(\w+)"\]/gu)].map((match) => match[1]!)
  assert.deepStrictEqual([...new Set(named)], fields, what)
}

const limited = (entity: "contact" | "organization") =>
  columns.flatMap((column) =>
    column.target.entity === entity &&
    column.maxLength !== null &&
    column.target.field !== "externalId" &&
    column.target.field !== "phoneCountry"
      ? [{ field: column.target.field, maxLength: column.maxLength }]
      : []
  )

const longUrl = (length: number) => `https://example.com/${"p".repeat(length - 20)}`

/** A value of `length` characters that the field would take at any length within its limit. */
const valueOfLength = (field: string, length: number) =>
  field === "externalSystemUrl"
    ? longUrl(length)
    : field.endsWith("Email")
      ? `${"m".repeat(length - 12)}@example.org`
      : field.endsWith("Phone") || field.endsWith("Number")
        ? `+44 20 7946 0000 ${"x".repeat(length - 17)}`
        : field === "revenue"
          ? "9".repeat(length)
          : "v".repeat(length)

describe("what a person may write, by the import's rules", () => {
  it("rejects one character past every contact limit of the import, naming the field", async () => {
    assert.isAbove(limited("contact").length, 15)
    for (const { field, maxLength } of limited("contact")) {
      const longest = await send("POST", "/v1/contacts", {
        [field]: valueOfLength(field, maxLength)
      })
      assert.strictEqual(longest.status, 201, `${field} at ${maxLength}`)
      const created = await send("POST", "/v1/contacts", {
        [field]: valueOfLength(field, maxLength + 1)
      })
      assertRejected(created, [field], `POST ${field}`)
      const patched = await send("PATCH", `/v1/contacts/${longest.body.id}`, {
        [field]: valueOfLength(field, maxLength + 1)
      })
      assertRejected(patched, [field], `PATCH ${field}`)
    }
  })

  it("rejects one character past every organization limit, naming the field", async () => {
    assert.isAbove(limited("organization").length, 9)
    for (const { field, maxLength } of limited("organization")) {
      const longest = await send("POST", "/v1/organizations", {
        name: "Harbour",
        [field]: valueOfLength(field, maxLength)
      })
      assert.strictEqual(longest.status, 201, `${field} at ${maxLength}`)
      const created = await send("POST", "/v1/organizations", {
        name: "Harbour",
        [field]: valueOfLength(field, maxLength + 1)
      })
      assertRejected(created, [field], `POST ${field}`)
      const patched = await send("PATCH", `/v1/organizations/${longest.body.id}`, {
        [field]: valueOfLength(field, maxLength + 1)
      })
      assertRejected(patched, [field], `PATCH ${field}`)
    }
  })

  it("rejects a contact URL that is not http(s), as the import fails URL_INVALID", async () => {
    const created = await send("POST", "/v1/contacts", {
      lastName: "Okafor",
      externalSystemUrl: "javascript:alert(1)"
    })
    assertRejected(created, ["externalSystemUrl"], "POST")
    const kept = await send("POST", "/v1/contacts", {
      lastName: "Okafor",
      externalSystemUrl: "https://crm.example.com/people/7"
    })
    assert.strictEqual(kept.status, 201)
    for (const url of ["javascript:alert(1)", "crm.example.com/people/7", "ftp://example.com"]) {
      const patched = await send("PATCH", `/v1/contacts/${kept.body.id}`, {
        externalSystemUrl: url
      })
      assertRejected(patched, ["externalSystemUrl"], url)
    }
    const cleared = await send("PATCH", `/v1/contacts/${kept.body.id}`, { externalSystemUrl: null })
    assert.strictEqual(cleared.status, 200)
    assert.strictEqual(cleared.body["externalSystemUrl"], null)
  })

  it("rejects an organization website that is not a website, naming the field", async () => {
    const created = await send("POST", "/v1/organizations", {
      name: "Harbour",
      websites: ["harbour.example", "javascript:alert(1)"]
    })
    assertRejected(created, ["websites"], "POST")
    assert.include(created.body.detail, 'at ["websites"][1]')
    const kept = await send("POST", "/v1/organizations", {
      name: "Harbour",
      websites: ["harbour.example", "https://harbour.example/about"]
    })
    assert.strictEqual(kept.status, 201)
    const patched = await send("PATCH", `/v1/organizations/${kept.body.id}`, {
      websites: ["javascript:alert(1)"]
    })
    assertRejected(patched, ["websites"], "PATCH")
  })

  it("requires an Organization Name that is not blank to create one, and keeps it", async () => {
    for (const body of [{}, { name: "" }, { name: "   " }, { name: null }]) {
      const created = await send("POST", "/v1/organizations", body)
      assertRejected(created, ["name"], JSON.stringify(body))
    }
    const kept = await send("POST", "/v1/organizations", { name: "Harbour Lights" })
    assert.strictEqual(kept.status, 201)
    for (const name of ["", " \t ", null]) {
      const patched = await send("PATCH", `/v1/organizations/${kept.body.id}`, { name })
      assertRejected(patched, ["name"], JSON.stringify(name))
    }
    const read = await app.request(`/v1/organizations/${kept.body.id}`, {
      headers: { authorization: `Bearer ${secret}` }
    })
    assert.strictEqual(((await read.json()) as { name: string }).name, "Harbour Lights")
  })

  it("rejects a revenue that is not a whole number in digits, as the import does", async () => {
    for (const revenue of ["1.5M", "-3", "12,000", ""]) {
      const created = await send("POST", "/v1/organizations", { name: "Harbour", revenue })
      assertRejected(created, ["revenue"], revenue)
    }
    const kept = await send("POST", "/v1/organizations", { name: "Harbour", revenue: "12000" })
    assert.strictEqual(kept.body["revenue"], "12000")
  })

  it("rejects an employee count past what the store keeps, as the import does", async () => {
    const past = await send("POST", "/v1/organizations", {
      name: "Harbour",
      employeeCount: 3_000_000_000
    })
    assertRejected(past, ["employeeCount"], "3,000,000,000")
    const most = await send("POST", "/v1/organizations", {
      name: "Harbour",
      employeeCount: 2_147_483_647
    })
    assert.strictEqual(most.body["employeeCount"], 2_147_483_647)
  })

  it("refuses a NUL character in a body, a query or a path, which no stored text can hold", async () => {
    assertRejected(
      await send("POST", "/v1/contacts", { firstName: "Ada\u0000" }),
      ["firstName"],
      "NUL in a body"
    )
    assertRejected(
      await send("POST", "/v1/organizations", { name: "Harbour", tags: ["a", "b\u0000"] }),
      ["tags"],
      "NUL in a list"
    )
    assertRejected(
      await send("POST", "/v1/contacts", { lastName: "\ud800" }),
      ["lastName"],
      "a lone surrogate, which would be stored as U+FFFD"
    )
    for (const path of ["/v1/contacts?email=a%00b", "/v1/contacts/ct_1%00"]) {
      const response = await app.request(path, { headers: { authorization: `Bearer ${secret}` } })
      assert.strictEqual(response.status, 422, path)
      const body = (await response.json()) as { type: string }
      assert.strictEqual(body.type, "https://xcontacts.dev/problems/invalid-parameter", path)
    }
  })

  it("refuses a cursor that is not a record id of the listed kind", async () => {
    const status = async (path: string) =>
      (await app.request(path, { headers: { authorization: `Bearer ${secret}` } })).status
    assert.strictEqual(await status("/v1/contacts?cursor=garbage"), 422)
    assert.strictEqual(await status("/v1/organizations?cursor=ct_1"), 422)
    assert.strictEqual(await status("/v1/contacts?cursor=ct_1"), 200)
    assert.strictEqual(await status("/v1/organizations?cursor=org_1"), 200)
  })

  it("documents the limits in the OpenAPI document", async () => {
    const answer = await app.request("/openapi.json")
    const { components } = (await answer.json()) as {
      components: { schemas: Record<string, { required?: Array<string>; properties: object }> }
    }
    const property = (schema: string, field: string) =>
      (components.schemas[schema]!.properties as Record<string, unknown>)[field]
    assert.deepStrictEqual(property("NewContact", "firstName"), {
      anyOf: [{ type: "string", maxLength: 1000 }, { type: "null" }]
    })
    assert.deepStrictEqual(property("ContactPatch", "postalCode"), {
      anyOf: [{ type: "string", maxLength: 25 }, { type: "null" }]
    })
    assert.include(components.schemas["NewOrganization"]!.required ?? [], "name")
    assert.deepInclude(property("NewOrganization", "name"), { type: "string", maxLength: 1000 })
    assert.deepInclude(property("OrganizationPatch", "name"), { type: "string", maxLength: 1000 })
  })

  it("documents that bodies take no other properties and what maxFileBytes takes", async () => {
    const answer = await app.request("/openapi.json")
    const { components } = (await answer.json()) as {
      components: {
        schemas: Record<string, { additionalProperties?: unknown; properties: object }>
      }
    }
    for (const name of [
      "NewImportProfile",
      "ImportProfileSettings",
      "NewContact",
      "ContactPatch",
      "NewOrganization",
      "OrganizationPatch",
      "AssignExternalId"
    ]) {
      assert.strictEqual(components.schemas[name]!.additionalProperties, false, name)
    }
    const excess = await send("POST", "/v1/import-profiles", {
      name: "extra",
      settings: {},
      other: 1
    })
    assert.strictEqual(excess.status, 422)
    const settings = JSON.stringify(components.schemas["ImportProfileSettings"])
    assert.notInclude(settings, "NaN")
    assert.include(settings, '"maxFileBytes":{"type":"integer"')
    assert.include(settings, '"exclusiveMinimum":0')
  })

  it("offers no NaN or Infinity for any count, size or line it gives", async () => {
    const text = await (await app.request("/openapi.json")).text()
    assert.notInclude(text, "NaN")
    assert.notInclude(text, "Infinity")
    const { components } = JSON.parse(text) as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> }
    }
    assert.deepInclude(components.schemas["ImportJob"]!.properties["problemCount"], {
      type: "integer"
    })
  })
})
