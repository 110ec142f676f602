import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { IdGenerator } from "@xcontacts/domain"
import { inMemoryStoresLayer } from "@xcontacts/domain/testing"
import { Layer, Logger, ManagedRuntime, References } from "effect"
import { makeApp } from "../src/App.ts"

const lines: Array<{ message: unknown; annotations: Record<string, unknown> }> = []
const capture = Logger.make((options) => {
  const annotations = options.fiber.getRef(References.CurrentLogAnnotations)
  lines.push({ message: options.message, annotations: { ...annotations } })
})

const runtime = ManagedRuntime.make(
  Layer.mergeAll(inMemoryStoresLayer, IdGenerator.layerSequential, Logger.layer([capture]))
)
const app = makeApp((effect) => runtime.runPromiseExit(effect), {
  uploadDir: join(tmpdir(), "xcontacts-api-test")
})
afterAll(() => runtime.dispose())

describe("the access log", () => {
  it("logs method, path without query, status, duration and request id, nothing else", async () => {
    const response = await app.request("/v1/contacts?email=someone@example.org", {
      headers: { "x-request-id": "req-42", authorization: "Bearer wrong" }
    })
    assert.strictEqual(response.status, 401)
    await new Promise((resolve) => setTimeout(resolve, 10))
    const entry = lines.find((line) => line.annotations["requestId"] === "req-42")
    assert.isDefined(entry)
    const { durationMs, ...rest } = entry!.annotations
    assert.deepStrictEqual(rest, {
      method: "GET",
      path: "/v1/contacts",
      status: 401,
      requestId: "req-42"
    })
    assert.isNumber(durationMs)
    assert.notInclude(JSON.stringify(lines), "someone@example.org")
  })
})
