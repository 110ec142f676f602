import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { createOrganization, IdGenerator } from "@xcontacts/domain"
import { inMemoryStoresLayer } from "@xcontacts/domain/testing"
import { Exit, Layer, ManagedRuntime } from "effect"
import { createApiKey, makeApp } from "../src/App.ts"

const runtime = ManagedRuntime.make(Layer.merge(inMemoryStoresLayer, IdGenerator.layerSequential))
const app = makeApp((effect) => runtime.runPromiseExit(effect), {
  uploadDir: join(tmpdir(), "xcontacts-api-test")
})
afterAll(() => runtime.dispose())
const { secret } = await runtime.runPromise(createApiKey({ name: "test", divisions: [] }))
const authorization = `Bearer ${secret}`

const assign = (id: string, body: unknown) =>
  app.request(`/v1/organizations/${id}/external-ids`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body: JSON.stringify(body)
  })

describe("POST /v1/organizations/{id}/external-ids", () => {
  it("gives a hand-made organization an External ID, once per source and division", async () => {
    const created = await runtime.runPromiseExit(
      createOrganization({ division: "unassigned", fields: { name: "Harbour" } })
    )
    assert.isTrue(Exit.isSuccess(created))
    const organization = Exit.isSuccess(created) ? created.value : null
    const first = await assign(organization!.id, { source: "crm", externalId: "ORG-H" })
    assert.strictEqual(first.status, 201)
    assert.deepStrictEqual(((await first.json()) as { externalIds: unknown }).externalIds, [
      { source: "crm", externalId: "ORG-H" }
    ])

    const other = await runtime.runPromiseExit(
      createOrganization({ division: "unassigned", fields: { name: "Other" } })
    )
    const otherId = Exit.isSuccess(other) ? other.value.id : ""
    const taken = await assign(otherId, { source: "crm", externalId: "ORG-H" })
    assert.strictEqual(taken.status, 409)
    assert.strictEqual(taken.headers.get("content-type"), "application/problem+json")

    const missing = await assign("org_404", { source: "crm", externalId: "ORG-X" })
    assert.strictEqual(missing.status, 404)
  })
})

describe("GET /v1/external-sources", () => {
  it("lists the sources created on first use", async () => {
    const response = await app.request("/v1/external-sources", { headers: { authorization } })
    assert.strictEqual(response.status, 200)
    assert.include(
      ((await response.json()) as { data: Array<{ name: string }> }).data.map((s) => s.name),
      "crm"
    )
  })
})
