import { spawn } from "node:child_process"
import { existsSync, readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { freshDataDir, runCli, runCliJson } from "./RunCli.ts"

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

describe("xcontacts keys", () => {
  it("creates a key shown once, lists it without the secret and revokes it", () => {
    const dataDir = freshDataDir()
    const created = runCliJson<{ id: string; key: string; divisions: Array<string> }>([
      "--data-dir",
      dataDir,
      "keys",
      "create",
      "--name",
      "ci",
      "--division",
      "east",
      "--division",
      "west",
      "--json"
    ])
    assert.strictEqual(created.status, 0)
    assert.match(created.json.key, /^xck_[\w-]{43}$/u)
    assert.deepStrictEqual(created.json.divisions, ["east", "west"])

    const listed = runCli(["--data-dir", dataDir, "keys", "list", "--json"])
    assert.notInclude(listed.stdout, created.json.key)
    const keys = JSON.parse(listed.stdout) as Array<{ id: string; revokedAt: string | null }>
    assert.deepStrictEqual(
      keys.map((key) => [key.id, key.revokedAt]),
      [[created.json.id, null]]
    )

    assert.strictEqual(runCli(["--data-dir", dataDir, "keys", "revoke", created.json.id]).status, 0)
    const after = runCliJson<Array<{ revokedAt: string | null }>>([
      "--data-dir",
      dataDir,
      "keys",
      "list",
      "--json"
    ])
    assert.isNotNull(after.json[0]?.revokedAt)
    assert.strictEqual(runCli(["--data-dir", dataDir, "keys", "revoke", "key_none"]).status, 2)
  })
})

describe("xcontacts serve", () => {
  it("serves with a key, then stops on SIGTERM with exit 0 and frees the data folder", async () => {
    const dataDir = freshDataDir()
    const key = runCliJson<{ key: string }>(["--data-dir", dataDir, "keys", "create", "--json"])
    const { DATABASE_URL: _ignored, ...env } = process.env
    const server = spawn(process.execPath, [bin, "--data-dir", dataDir, "serve", "--port", "0"], {
      env,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stderr = ""
    const url = await new Promise<string>((resolve, reject) => {
      server.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString()
        const found = /(http:\/\/127\.0\.0\.1:\d+)/u.exec(stderr)?.[1]
        if (found !== undefined) resolve(found)
      })
      server.on("exit", () => reject(new Error(`serve ended early: ${stderr}`)))
    })
    const response = await fetch(`${url}/v1/contacts`, {
      headers: { authorization: `Bearer ${key.json.key}` }
    })
    assert.strictEqual(response.status, 200)

    const exited = new Promise<number | null>((resolve) => server.on("exit", resolve))
    server.kill("SIGTERM")
    assert.strictEqual(await exited, 0)
    assert.isFalse(readdirSync(dataDir).some((name) => name.endsWith(".lock")))
    assert.strictEqual(runCli(["--data-dir", dataDir, "keys", "list"]).status, 0)
    assert.isTrue(existsSync(dataDir))
  })
})
