import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { IdGenerator, ImportProfileStore, StoreError } from "@xcontacts/domain"
import { inMemoryStoresLayer } from "@xcontacts/domain/testing"
import { Effect, Layer, Logger, ManagedRuntime, References } from "effect"
import { createApiKey, makeApp } from "../src/App.ts"

const lines: Array<{ message: unknown; annotations: Record<string, unknown> }> = []
const capture = Logger.make((options) => {
  const annotations = options.fiber.getRef(References.CurrentLogAnnotations)
  lines.push({ message: options.message, annotations: { ...annotations } })
})

// As the Drizzle adapter fails: its query error names the parameters (row data), the
// driver's error below it says why.
const driverError = Object.assign(new Error("connection terminated unexpectedly"), {
  code: "57P01"
})
const queryError = new Error("Failed query: select … params: Mira Okafor", { cause: driverError })
const failed = Effect.fail(
  new StoreError({ message: `query failed: ${queryError.message}`, cause: queryError })
)
const brokenProfiles = Layer.succeed(ImportProfileStore, {
  save: () => failed,
  get: () => failed,
  list: failed,
  remove: () => failed
})

const runtime = ManagedRuntime.make(
  Layer.mergeAll(
    inMemoryStoresLayer,
    brokenProfiles,
    IdGenerator.layerSequential,
    Logger.layer([capture])
  )
)
const app = makeApp((effect) => runtime.runPromiseExit(effect), {
  uploadDir: join(tmpdir(), "xcontacts-api-test")
})
afterAll(() => runtime.dispose())
const { secret } = await runtime.runPromise(createApiKey({ name: "test", divisions: [] }))

describe("a store failure", () => {
  it("answers 503 and logs why, without the query's row data", async () => {
    const response = await app.request("/v1/import-profiles", {
      headers: { authorization: `Bearer ${secret}`, "x-request-id": "req-503" }
    })
    assert.strictEqual(response.status, 503)
    const body = (await response.json()) as { type: string }
    assert.strictEqual(body.type, "https://xcontacts.dev/problems/store-unavailable")

    const logged = lines.find((line) => JSON.stringify(line.message).includes("store failed"))
    assert.isDefined(logged)
    assert.deepStrictEqual(logged!.annotations, {
      requestId: "req-503",
      error: "StoreError",
      reason: "connection terminated unexpectedly",
      code: "57P01"
    })
    assert.notInclude(JSON.stringify(lines), "Mira Okafor")
  })
})
