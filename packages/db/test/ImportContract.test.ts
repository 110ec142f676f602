import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { examples, importContract } from "@xcontacts/domain/contract"
import { storesLayer } from "../src/index.ts"

importContract("the merge rules on PGlite", storesLayer({ _tag: "Pglite", dataDir: null }))

describe("the contract's worked examples", () => {
  it("are the shared fixture files, byte for byte", () => {
    for (const [name, text] of Object.entries(examples)) {
      const fixture = new URL(`../../../../shared/fixtures/examples/${name}`, import.meta.url)
      assert.strictEqual(readFileSync(fixture, "utf8"), text)
    }
  })
})
